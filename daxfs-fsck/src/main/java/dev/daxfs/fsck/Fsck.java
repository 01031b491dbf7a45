package dev.daxfs.fsck;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.ToolEdge;
import dev.daxfs.cli.Unreadable;
import dev.daxfs.cli.MemorySource;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Problem;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Rule;
import dev.daxfs.validate.Severity;
import dev.daxfs.validate.Validator;
import dev.daxfs.cli.Json;
import dev.daxfs.cli.VersionInfo;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.integrity.KeyFileException;
import dev.daxfs.integrity.VerificationException;
import dev.daxfs.nativemem.InputFile;
import dev.daxfs.nativemem.MappedMemory;
import dev.daxfs.format.MemoryImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "daxfs-fsck", versionProvider = VersionInfo.class, sortOptions = false,
    description = {
        "Check a DAXFS v3 image against every validity rule of FORMAT.md before anyone mounts it.",
        "Prints one line per problem (rule number, structure, absolute offset, inode/path, expected, found).",
        "Never writes to the image."},
    exitCodeListHeading = "%nExit codes (as e2fsck):%n",
    exitCodeList = {
        " 0:valid (warnings are printed but keep 0, unless --strict)",
        " 4:problems found, or the image does not match --verify-sig",
        " 8:operational error (the image is missing, cannot be read, or is not a file or block device)",
        "16:usage error"})
public final class Fsck implements Callable<Integer> {
  static final int VALID = 0;
  static final int PROBLEMS = 4;
  static final int OPERATIONAL = 8;
  static final int USAGE = 16;
  private static final String DEFAULT_MAX_ERRORS = "100";

  @Parameters(paramLabel = "IMAGE", arity = "0..1", description = "The image: a file, or a block device holding one.")
  Path image;

  @CommandLine.Mixin MemorySource memory;

  @Option(names = "--validate", description = "Check every rule (the default mode).")
  boolean validate;

  @Option(names = "--kernel",
      description = "Report only what the v3 kernel's own 'validate' mount option would refuse.")
  boolean kernel;

  @Option(names = "--strict", description = "Count warnings as errors.")
  boolean strict;

  @Option(names = "--json", description = "Print the report as one JSON document.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing; only the exit code tells.")
  boolean quiet;

  @Option(names = "--max-errors", paramLabel = "N", defaultValue = DEFAULT_MAX_ERRORS,
      description = "Show at most N problems (default: ${DEFAULT-VALUE}); the total is always reported.")
  int maxErrors;

  @CommandLine.Mixin SignatureOptions signature;

  @CommandLine.Mixin HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public Integer call() {
    return check(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  private int check(PrintWriter out, PrintWriter err) {
    if (validate && kernel) {
      return failed(out, err, USAGE, "--validate and --kernel are different modes; give one");
    }
    if (maxErrors < 0) {
      return failed(out, err, USAGE, "--max-errors must not be negative");
    }
    if (signature.usageError() != null) {
      return failed(out, err, USAGE, signature.usageError());
    }
    if ((image != null ? 1 : 0) + memory.count() != 1 || !memory.sizeMatches()) {
      return failed(out, err, USAGE, "give one of IMAGE, --devdax DEVICE, --phys ADDR --size SIZE and --dmabuf PID:FD");
    }
    try (MappedMemory mapped = image == null ? memory.map() : null;
         ImageSource source = image == null ? null : ImageSource.open(image)) {
      return check(image == null ? MemoryImage.of(mapped.segment()) : source.bytes(), out, err);
    } catch (IllegalArgumentException e) {
      return failed(out, err, USAGE, e.getMessage());
    } catch (IOException e) {
      // Memory sources and refused file types name the device, range or file in their messages already.
      return failed(out, err, OPERATIONAL, image == null || e instanceof InputFile.WrongTypeException ? e.getMessage()
          : image + ": cannot read: " + (e instanceof NoSuchFileException ? "no such file"
              : e.getMessage() == null ? e : e.getMessage()));
    }
  }

  /** Checks the mapped image: the signature first when asked, then every rule. */
  int check(ImageBytes bytes, PrintWriter out, PrintWriter err) {
    Report report;
    try {
      if (signature.requested()) {
        int code = verifySignature(bytes, out, err);
        if (code != VALID) {
          return code;
        }
      }
      report = Validator.check(bytes, new Options(bytes.size(), kernel, maxErrors));
    } catch (InternalError e) {
      // The JVM turns SIGBUS on a mapped page into InternalError: the file was truncated, or the
      // device shrank, after it was mapped. Nothing said about the image would be true.
      if (!quiet) {
        err.println("daxfs-fsck: " + name() + ": " + Unreadable.MESSAGE);
      }
      return OPERATIONAL;
    }
    boolean valid = report.valid(strict);
    if (quiet) {
      return valid ? VALID : PROBLEMS;
    }
    if (json) {
      out.println(Json.write(json(report, valid)));
    } else {
      for (Problem q : report.problems()) {
        out.println(q);
      }
      out.println(summary(report, valid));
    }
    out.flush();
    return valid ? VALID : PROBLEMS;
  }

  /**
   * One line on stderr for a check that could not run, unless quiet; with --json also a document on
   * stdout, so a script reading stdout gets JSON for every outcome.
   */
  private int failed(PrintWriter out, PrintWriter err, int code, String message) {
    if (quiet) {
      return code;
    }
    err.println("daxfs-fsck: " + message);
    if (json) {
      out.println(Json.write(failure(image == null && memory.count() == 0 ? null : name(), code, message)));
    }
    return code;
  }

  /** The JSON document of a check that could not run. */
  static Map<String, Object> failure(String image, int code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image", image);
    m.put("valid", false);
    m.put("exit", code);
    m.put("error", message);
    return m;
  }

  /** Prints the outcome unless quiet (JSON: only on a mismatch; a match joins the report). */
  private int verifySignature(ImageBytes bytes, PrintWriter out, PrintWriter err) {
    try {
      String line = signature.verify(name(), bytes);
      if (!quiet && !json) {
        out.println(line);
      }
      return VALID;
    } catch (VerificationException e) {
      if (e.failure() == VerificationException.Failure.UNREADABLE_SIGNATURE) {
        return failed(out, err, OPERATIONAL, e.getMessage());
      }
      if (!quiet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", name());
        m.put("valid", false);
        m.put("signature", signature.result);
        out.println(json ? Json.write(m) : name() + ": SIGNATURE MISMATCH: " + e.getMessage());
      }
      return PROBLEMS;
    } catch (KeyFileException e) {
      return failed(out, err, OPERATIONAL, e.getMessage());
    }
  }

  private String summary(Report report, boolean valid) {
    StringBuilder sb = new StringBuilder(name()).append(": ");
    if (kernel) {
      sb.append(valid ? "the v3 kernel's validate would accept it" : "the v3 kernel's validate would refuse it");
    } else {
      sb.append(valid ? "valid" : "INVALID");
    }
    if (report.problems().stream().anyMatch(q -> q.rule() == Rule.IMAGE_MAGIC)) {
      // Rule 1 is what any other file breaks: say so in words, not only as a hex magic.
      sb.append(": not a DAXFS image");
    }
    sb.append(" (").append(count(report.errors(), "error")).append(", ").append(count(report.warnings(), "warning"));
    if (strict && report.warnings() > 0) {
      sb.append(", warnings count as errors");
    }
    if (report.problems().size() < report.total()) {
      sb.append("; first ").append(report.problems().size()).append(" of ").append(report.total()).append(" shown");
    }
    return sb.append(')').toString();
  }

  private String name() {
    return image == null ? memory.name() : image.toString();
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private Map<String, Object> json(Report report, boolean valid) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image", name());
    m.put("mode", kernel ? "kernel" : "validate");
    m.put("strict", strict);
    m.put("valid", valid);
    m.put("errors", report.errors());
    m.put("warnings", report.warnings());
    m.put("shown", report.problems().size());
    List<Object> problems = new ArrayList<>();
    for (Problem q : report.problems()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("rule", q.rule().number());
      o.put("severity", q.severity().label());
      o.put("title", q.rule().title());
      o.put("structure", q.structure());
      o.put("offset", q.offset());
      o.put("inode", q.inode() == 0 ? null : q.inode());
      o.put("path", q.path());
      o.put("expected", q.expected());
      o.put("found", q.found());
      problems.add(o);
    }
    m.put("problems", problems);
    if (signature.requested()) {
      m.put("signature", signature.result);
    }
    return m;
  }

  /** Runs the command with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Fsck plain = plain(args);
    if (plain != null) {
      int code;
      try {
        code = plain.check(out, err);
      } catch (RuntimeException | Error e) {
        err.println("daxfs-fsck: " + plain.image + ": " + ToolEdge.describe(e));
        code = OPERATIONAL;
      }
      out.flush();
      err.flush();
      return code;
    }
    CommandLine cl = new CommandLine(new Fsck());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      ToolEdge.sayUsageError("daxfs-fsck", ex.getCommandLine().getErr(), ex.getMessage());
      if (java.util.Arrays.asList(a).contains("--json")) {
        out.println(Json.write(failure(null, USAGE, ex.getMessage())));
      }
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      // The validator reports bad bytes as problems; anything that still escapes is a bug, said in one line.
      c.getErr().println("daxfs-fsck: " + image(parsed) + ": " + ToolEdge.describe(ex));
      return OPERATIONAL;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The command for the common forms (one image file and the plain flags, as scripts and boot hooks
   * run it), or null. Building picocli's model from the annotations takes most of a start (about
   * 100 ms of CPU), so it is built only for the other forms, help, and errors; this takes the same
   * arguments with the same meaning (an @-file or anything else picocli expands is left to it).
   */
  static Fsck plain(String... args) {
    Fsck f = new Fsck();
    f.memory = new MemorySource();
    f.signature = new SignatureOptions();
    f.maxErrors = Integer.parseInt(DEFAULT_MAX_ERRORS);
    for (String a : args) {
      switch (a) {
        case "--validate" -> f.validate = true;
        case "--kernel" -> f.kernel = true;
        case "--strict" -> f.strict = true;
        case "--json" -> f.json = true;
        case "-q", "--quiet" -> f.quiet = true;
        default -> {
          if (f.image != null || a.isEmpty() || a.startsWith("-") || a.startsWith("@")) {
            return null;
          }
          try {
            f.image = Path.of(a);
          } catch (java.nio.file.InvalidPathException e) {
            return null;
          }
        }
      }
    }
    return f.image == null ? null : f;
  }

  private static String image(CommandLine.ParseResult parsed) {
    return parsed.hasMatchedPositional(0) ? String.valueOf(parsed.matchedPositional(0).getValue()) : "?";
  }

  public static void main(String[] args) {
    int status = ToolEdge.run("daxfs-fsck", OPERATIONAL, System.err,
        () -> run(new PrintWriter(System.out), new PrintWriter(System.err), args));
    System.exit(dev.daxfs.cli.StandardOutput.checked("daxfs-fsck", status, OPERATIONAL));
  }
}
