package dev.daxfs.inspect;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.Json;
import dev.daxfs.cli.Unreadable;
import dev.daxfs.format.FormatException;
import dev.daxfs.cli.MemorySource;
import dev.daxfs.nativemem.InputFile;
import dev.daxfs.nativemem.SystemCallException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: -f IMAGE, --json, the exit statuses, and how problems are shown
 * (after the output, on stderr as text; in the "problems" member as JSON). A command that met
 * problems still prints everything it could decode, and exits with {@link #PROBLEMS}.
 */
abstract class ImageCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int PROBLEMS = 2;
  /** Operational: a file cannot be written, or the image cannot be opened or read. */
  static final int OUTPUT = 3;

  @Option(names = {"-f", "--file"}, paramLabel = "IMAGE", description = "The image: a file, or a block device holding one.")
  Path imagePath;

  @Mixin MemorySource memory;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = {"-b", "--branch"}, paramLabel = "BRANCH",
      description = "A branch name (the newest ACTIVE one with it) or slot:N (default: main, or the base"
          + " when the image has none).")
  java.util.List<String> branches = new java.util.ArrayList<>();

  @Mixin HelpOptions helpOptions;

  @Spec CommandSpec spec;

  /** The JSON object a command fills in JSON mode. */
  final Map<String, Object> result = new LinkedHashMap<>();

  /** Prints (text mode) or fills {@link #result} (JSON mode); returns an exit status. */
  abstract int run(Target target, PrintWriter out) throws IOException;

  /** The one -b given, or null. */
  String branch() {
    if (branches.size() > 1) {
      throw new UsageException("one -b only (diff takes two)");
    }
    return branches.isEmpty() ? null : branches.get(0);
  }

  /**
   * Whether the image's fsck errors are problems of this command (exit 2): true for every command
   * that shows the image; digest and reclaim decide on their own what they accept.
   */
  boolean reportsValidity() { return true; }

  /** Whether the command rewrites the memory it is given in place (reclaim --force); others map it read-only. */
  boolean writesMemory() { return false; }

  PrintWriter out() { return spec.commandLine().getOut(); }

  PrintWriter err() { return spec.commandLine().getErr(); }

  /** The image file, or the memory holding an image, read-only. */
  private Target openTarget() throws IOException {
    if ((imagePath != null ? 1 : 0) + memory.count() != 1 || !memory.sizeMatches()) {
      throw new UsageException("give one of -f IMAGE, --devdax DEVICE, --phys ADDR --size SIZE and --dmabuf PID:FD");
    }
    if (imagePath != null) {
      return Target.open(imagePath);
    }
    imagePath = Path.of(memory.name());
    return Target.inMemory(imagePath, memory.map(writesMemory()));
  }

  @Override public final Integer call() {
    Target target;
    try {
      target = openTarget();
    } catch (UsageException | IllegalArgumentException e) {
      err().println("daxfs-inspect: " + e.getMessage());
      return USAGE;
    } catch (NoSuchFileException e) {
      err().println("daxfs-inspect: " + imagePath + ": no such file");
      return USAGE;
    } catch (InputFile.WrongTypeException e) {
      err().println("daxfs-inspect: " + e.getMessage());
      return OUTPUT;
    } catch (SystemCallException e) {
      // The image cannot be opened or mapped: an operational error, not a problem in the image.
      err().println("daxfs-inspect: " + e.getMessage());
      return OUTPUT;
    } catch (IOException | FormatException e) {
      // Memory sources name the device or range in their messages already.
      err().println("daxfs-inspect: " + (memory.count() > 0 ? "" : imagePath + ": ") + e.getMessage());
      return PROBLEMS;
    } catch (InternalError e) {
      err().println("daxfs-inspect: " + imagePath + ": " + Unreadable.MESSAGE);
      return OUTPUT;
    }
    try (Target t = target) {
      return callOn(t);
    }
  }

  /** Runs on an open image; the caller closes it. */
  int callOn(Target t) {
    try {
      PrintWriter out = out();
      int status;
      try {
        status = run(t, out);
      } catch (FormatException e) {
        t.problems.add(e);
        status = PROBLEMS;
      }
      if (reportsValidity() && t.image.superblock().magic() == dev.daxfs.format.Format.IMAGE_MAGIC) {
        t.reportInvalid();
      }
      if (json) {
        result.put("problems", t.problems.json());
        out.println(Json.write(result));
      }
      out.flush();
      if (!json) {
        for (String line : t.problems.lines()) {
          err().println("daxfs-inspect: " + imagePath + ": " + line);
        }
      }
      return status == OK && !t.problems.isEmpty() ? PROBLEMS : status;
    } catch (UsageException e) {
      out().flush();
      err().println("daxfs-inspect: " + e.getMessage());
      return USAGE;
    } catch (IOException e) {
      out().flush();
      err().println("daxfs-inspect: " + e.getMessage());
      return OUTPUT;
    } catch (InternalError e) {
      // SIGBUS on a mapped page that is gone: the file was truncated, or the device shrank.
      out().flush();
      err().println("daxfs-inspect: " + imagePath + ": " + Unreadable.MESSAGE);
      return OUTPUT;
    }
  }
}
