package dev.daxfs.inspect;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.VersionInfo;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** daxfs-inspect: decode DAXFS v3 images, show branch views, and keep or clean branches offline. */
@Command(name = "daxfs-inspect", versionProvider = VersionInfo.class,
    description = "Look inside a DAXFS v3 image: its structures, its branches and the files each branch sees;"
        + " flatten a branch into a new image or reclaim the delta space of all branches.",
    subcommands = {StatusCommand.class, ListCommand.class, InfoCommand.class, DumpCommand.class, LsCommand.class,
        StatCommand.class, CatCommand.class, ExtractCommand.class, DiffCommand.class, FlattenCommand.class,
        ReclaimCommand.class, DigestCommand.class, KeygenCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:bad usage, or no such branch or path",
        "2:the image has problems (everything decodable was still shown, problems on stderr)",
        "3:output error (a file could not be written)"})
public final class Inspect implements Runnable {
  @CommandLine.Mixin HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Runs with {@code args} and returns the exit status; text goes out as UTF-8, cat's bytes as they are. */
  public static int run(OutputStream stdout, OutputStream stderr, String... args) {
    CommandLine cl = new CommandLine(new Inspect());
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    cl.setOut(out);
    cl.setErr(err);
    ((CatCommand) cl.getSubcommands().get("cat").getCommand()).sink = stdout;
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("daxfs-inspect: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Try 'daxfs-inspect --help' for more information.");
      return ImageCommand.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      // A bug, not an image problem: still one line, never a stack trace.
      c.getErr().println("daxfs-inspect: internal error: " + ex);
      return ImageCommand.PROBLEMS;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }
}
