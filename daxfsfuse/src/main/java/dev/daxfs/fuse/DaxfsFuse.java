package dev.daxfs.fuse;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.MemorySource;
import dev.daxfs.cli.ToolEdge;
import dev.daxfs.cli.VersionInfo;
import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchView;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.Replay;
import dev.daxfs.format.ReplayProblem;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Problem;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Validator;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "daxfsfuse", versionProvider = VersionInfo.class, sortOptions = false,
    description = {
        "Mount the base or a branch of a DAXFS v3 image read-only through FUSE, as daxfs-inspect shows it"
            + " (the log's meaning, not the kernel module's).",
        "The image is validated first; one with errors is refused unless --force.",
        "Without -f it returns once the mount is up and the server runs on in its own session until"
            + " unmounted.",
        "Unmount with 'fusermount3 -u MOUNTPOINT' (or Ctrl-C with -f)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:mounted (in the background), or served until unmounted (-f)",
        "1:bad usage, or no such branch",
        "2:the image has errors (refused without --force) or cannot be read",
        "3:the mount failed (libfuse says why)"})
public final class DaxfsFuse implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int IMAGE = 2;
  static final int MOUNT = 3;
  private static final int SHOWN_PROBLEMS = 20;

  @Parameters(arity = "1..2", paramLabel = "[IMAGE] MOUNTPOINT", hideParamSyntax = true,
      description = "The image file and the directory to mount on (only MOUNTPOINT with a memory source).")
  List<Path> paths = new ArrayList<>();

  @Mixin MemorySource memory;

  @Option(names = {"-b", "--branch"}, paramLabel = "BRANCH",
      description = "A branch name (the newest ACTIVE one with it) or slot:N (default: main, or the base when the"
          + " image has none).")
  String branch;

  @Option(names = "-o", paramLabel = "OPTIONS", split = ",",
      description = "FUSE mount options (allow_other, ...); the mount is always read-only.")
  List<String> options = new ArrayList<>();

  @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground until unmounted (Ctrl-C unmounts).")
  boolean foreground;

  @Option(names = "--force",
      description = "Mount an image with errors: what can be decoded is shown, the rest is left out.")
  boolean force;

  @Mixin HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    int sources = (paths.size() == 2 ? 1 : 0) + memory.count();
    if (sources != 1 || !memory.sizeMatches()) {
      err.println("daxfsfuse: give IMAGE MOUNTPOINT, or MOUNTPOINT with one of --devdax DEVICE, --phys ADDR --size SIZE"
          + " and --dmabuf PID:FD");
      return USAGE;
    }
    Path mountpoint = paths.get(paths.size() - 1);
    if (!Files.isDirectory(mountpoint)) {
      err.println("daxfsfuse: " + mountpoint + ": not a directory");
      return USAGE;
    }
    for (String o : options) {
      if (o.equals("rw")) {
        err.println("daxfsfuse: the mount is read-only; -o rw is not taken");
        return USAGE;
      }
    }
    String name = paths.size() == 2 ? paths.get(0).toString() : memory.name();
    MappedImage mapped = null;
    try {
      Image image;
      try {
        mapped = paths.size() == 2 ? MappedImage.ofFile(paths.get(0)) : MappedImage.ofMemory(memory.map());
        image = mapped.image();
        ResidentPages.watch(mapped);
      } catch (NoSuchFileException e) {
        err.println("daxfsfuse: " + name + ": no such file");
        return IMAGE;
      } catch (IOException | FormatException e) {
        err.println("daxfsfuse: " + name + ": " + e.getMessage());
        return IMAGE;
      } catch (IllegalArgumentException e) {
        err.println("daxfsfuse: " + e.getMessage());
        return USAGE;
      }
      Report report = Validator.check(image.bytes(), new Options(image.bytes().size(), false, SHOWN_PROBLEMS));
      if (report.errors() > 0) {
        for (Problem p : report.problems()) {
          err.println("daxfsfuse: " + name + ": " + p);
        }
        if (!force) {
          err.println("daxfsfuse: " + name + ": " + errors(report) + "; not mounted (--force mounts what can be"
              + " decoded)");
          return IMAGE;
        }
        err.println("daxfsfuse: " + name + ": " + errors(report) + "; mounting what can be decoded (--force)");
      }
      if (!foreground) {
        err.flush();
        return Background.start(mountpoint, err);
      }
      Consumer<ReplayProblem> problems = new ProblemLines(name, err);
      BranchView view;
      try {
        BranchRecord b = selectBranch(image);
        view = b == null ? Replay.base(image, problems) : Replay.branch(image, b, problems);
      } catch (IllegalArgumentException e) {
        err.println("daxfsfuse: " + name + ": " + e.getMessage());
        return USAGE;
      }
      ViewServer server;
      try {
        server = new ViewServer(view, image.bytes().size(), inodes(image), mapped.pinnable(), err);
      } catch (IllegalStateException e) {
        err.println("daxfsfuse: " + e.getMessage());
        return MOUNT;
      }
      List<String> all = new ArrayList<>(options);
      all.add("fsname=" + name.replaceAll("[,\\\\\\s]", "_"));
      all.add("subtype=daxfs");
      all.add("default_permissions");
      all.add("ro");
      try {
        FuseSession.serve(server, mountpoint, all);
      } catch (IOException e) {
        err.println("daxfsfuse: " + e.getMessage());
        return MOUNT;
      } finally {
        server.close();
      }
      return OK;
    } finally {
      if (mapped != null) {
        mapped.close();
      }
    }
  }

  /** The record -b names (null: the base); a branch table that cannot be read means the base, unless -b was given. */
  private BranchRecord selectBranch(Image image) {
    try {
      return image.branchTable().select(branch);
    } catch (FormatException e) {
      if (branch != null) {
        throw new IllegalArgumentException("the branch table cannot be read: " + e.getMessage());
      }
      return null;
    }
  }

  private static String errors(Report r) {
    return r.errors() + (r.errors() == 1 ? " error" : " errors");
  }

  private static long inodes(Image image) {
    try {
      BaseImage base = image.base();
      return base.inodeCount();
    } catch (FormatException e) {
      return 0;
    }
  }

  /** Problems met while serving (a -- force mount of a broken image): one line each, the first hundred. */
  private record ProblemLines(String name, PrintWriter err, long[] seen) implements Consumer<ReplayProblem> {
    ProblemLines(String name, PrintWriter err) {
      this(name, err, new long[1]);
    }

    @Override public void accept(ReplayProblem p) {
      if (seen[0]++ < 100) {
        err.println("daxfsfuse: " + name + ": " + p);
        err.flush();
      }
    }
  }

  /** Runs with {@code args}; returns the exit status. */
  static int run(String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    CommandLine cl = new CommandLine(new DaxfsFuse());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      ToolEdge.sayUsageError("daxfsfuse", ex.getCommandLine().getErr(), ex.getMessage());
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      c.getErr().println("daxfsfuse: " + ToolEdge.describe(ex));
      return MOUNT;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  public static void main(String[] args) {
    System.exit(ToolEdge.run("daxfsfuse", MOUNT, System.err, () -> run(args)));
  }
}
