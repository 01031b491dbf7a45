package dev.daxfs.inspect;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.StandardOutput;
import dev.daxfs.cli.ToolEdge;
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
        ReclaimCommand.class, DigestCommand.class, KeygenCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:bad usage, or no such branch or path",
        "2:the image has problems (everything decodable was still shown, problems on stderr)",
        "3:operational error (the image cannot be opened or read: missing rights, not a file or block device;"
            + " or a file could not be written)"})
public final class Inspect implements Runnable {
  @CommandLine.Mixin HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Runs with {@code args} and returns the exit status; text goes out as UTF-8, cat's bytes as they are. */
  public static int run(OutputStream stdout, OutputStream stderr, String... args) {
    return execute(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true), stdout, args);
  }

  /** Runs with text writers only (tests); cat's bytes reach {@code out} one char per byte (ISO-8859-1). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    OutputStream bytes = new OutputStream() {
      @Override public void write(int b) {
        out.write(b & 0xff);
      }

      @Override public void write(byte[] b, int off, int len) {
        out.write(new String(b, off, len, StandardCharsets.ISO_8859_1));
      }

      @Override public void flush() {
        out.flush();
      }
    };
    return execute(out, err, bytes, args);
  }

  private static int execute(PrintWriter out, PrintWriter err, OutputStream catBytes, String... args) {
    CommandLine cl = new CommandLine(new Inspect());
    cl.setOut(out);
    cl.setErr(err);
    ((CatCommand) cl.getSubcommands().get("cat").getCommand()).sink = catBytes;
    cl.setParameterExceptionHandler((ex, a) -> {
      // A mistyped command: name it and the nearest one, as git does.
      String message = ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == cl
          && !u.getSuggestions().isEmpty()
          ? "'" + u.getUnmatched().getFirst() + "' is not a command; did you mean " + u.getSuggestions().getFirst() + "?"
          : ex.getMessage();
      ToolEdge.sayUsageError("daxfs-inspect", ex.getCommandLine().getErr(), message);
      return ImageCommand.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      // A bug, not an image problem: still one line, never a stack trace.
      c.getErr().println("daxfs-inspect: " + ToolEdge.describe(ex));
      return ImageCommand.PROBLEMS;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  public static void main(String[] args) {
    int status = ToolEdge.run("daxfs-inspect", ImageCommand.OUTPUT, System.err, () -> run(System.out, System.err, args));
    System.exit(StandardOutput.checked("daxfs-inspect", status, ImageCommand.OUTPUT));
  }
}
