package dev.daxfs.mkfs;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.cli.Json;
import dev.daxfs.cli.Sizes;
import dev.daxfs.cli.VersionInfo;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Names;
import dev.daxfs.format.Node;
import dev.daxfs.format.TreeException;
import dev.daxfs.nativemem.Interruption;
import dev.daxfs.nativemem.OutputFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mkdaxfs", versionProvider = VersionInfo.class, sortOptions = false,
    usageHelpAutoWidth = true,
    description = {"Build a DAXFS v3 image from a directory tree, a tar archive or container image layers.",
        "Give exactly one input: -d, -t or --layer (repeatable); or, as mkfs.erofs and mksquashfs take them,"
            + " SOURCE IMAGE: a directory (as -d) or an archive (as -t), then the image file (as -o)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:image written (or planned, with --dry-run)", "1:bad usage",
        "2:input error (the input cannot be read or stored in v3)", "3:output error (the image cannot be written)"})
public final class Mkdaxfs implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int INPUT = 2;
  static final int OUTPUT = 3;

  @CommandLine.Parameters(arity = "0..2", paramLabel = "[SOURCE IMAGE]", hideParamSyntax = true,
      description = "A directory or archive and the image to write, instead of -d/-t and -o.")
  List<String> positional = List.of();

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR",
      description = "Source directory (symlinks are stored, never followed; hard links share one extent).")
  Path directory;

  @Option(names = {"-t", "--tar"}, paramLabel = "FILE|-",
      description = "Source tar archive, or - for stdin: plain, gzip, bzip2, xz or zstd, recognised by content.")
  String tar;

  @Option(names = "--layer", paramLabel = "FILE",
      description = "Container image layer (a tar like -t), applied in the order given, with OCI whiteouts.")
  List<Path> layers = List.of();

  @Option(names = {"-o", "--output"}, paramLabel = "IMAGE",
      description = "Image file to write: written unnamed beside it and renamed over it when complete; a symlink"
          + " is written through; an existing device, FIFO, socket or directory is refused.")
  Path output;

  @Option(names = {"-w", "--writable"},
      description = "Branching image: branch table and delta region, mountable read-write.")
  boolean writable;

  @Option(names = {"-D", "--delta"}, paramLabel = "SIZE", converter = Sizes.class,
      description = "Delta region size with -w (default: 64M). Suffixes K, M, G, T (powers of 1024).")
  Long delta;

  @Option(names = {"-s", "--size"}, paramLabel = "SIZE", converter = Sizes.class,
      description = "Exact image size (more than 0; suffixes K, M, G, T); an error if the tree does not fit."
          + " With -w the delta region takes the rest.")
  Long size;

  @Option(names = {"-H", "--heap"}, paramLabel = "PATH",
      description = "Write the image into a dma-buf from this DMA heap (e.g. /dev/dma_heap/system; needs -s),"
          + " validate it, and mount it with -m.")
  Path heap;

  @Option(names = {"-m", "--mountpoint"}, paramLabel = "DIR", description = "Mount the -H image here (read-write with -w).")
  Path mountpoint;

  @Option(names = {"-p", "--phys"}, paramLabel = "ADDR", converter = Sizes.class,
      description = "Write the image to this physical address through /dev/mem (needs -s), then validate it.")
  Long phys;

  @Option(names = "--devdax", paramLabel = "DEVICE",
      description = "Write the image at the start of a devdax device (/dev/daxX.Y), then validate it.")
  Path devdax;

  @Option(names = {"-V", "--validate"}, description = "Mount with the kernel's own validation (with -m).")
  boolean validate;

  @Option(names = "--all-root", description = "Store every inode as owned by uid 0, gid 0.")
  boolean allRoot;

  @Option(names = "--force-uid", paramLabel = "N", description = "Store every inode with uid N.")
  Integer forceUid;

  @Option(names = "--force-gid", paramLabel = "N", description = "Store every inode with gid N.")
  Integer forceGid;

  @Option(names = "--special", paramLabel = "skip|error", converter = SpecialFiles.PolicyNames.class,
      completionCandidates = SpecialFiles.PolicyNames.class,
      description = "Devices, fifos and sockets, which v3 cannot store: skip them with one warning (default) "
          + "or fail.")
  SpecialFiles.Policy special = SpecialFiles.Policy.SKIP;

  @Option(names = "--dedupe", description = "Store identical file contents once (SHA-256 of the contents).")
  boolean dedupe;

  @Option(names = "--dry-run", description = "Read the input and print the plan's summary; write no image.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (no progress, warning or summary).")
  boolean quiet;

  @CommandLine.Mixin SignOption sign;

  @CommandLine.Mixin HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** What a memory target says after the summary (how to use what was written). */
  private String note;

  @Override public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String usage = positionalError();
    if (usage == null) {
      usage = usageError();
    }
    if (usage != null) {
      dev.daxfs.cli.ToolEdge.sayUsageError("mkdaxfs", err, usage);
      return USAGE;
    }
    ImageSpec kind;
    try {
      kind = writable ? ImageSpec.branching(delta == null ? Format.DEFAULT_DELTA_SIZE : delta) : ImageSpec.staticImage();
      if (size != null) {
        kind = kind.withFixedSize(size);
      }
    } catch (IllegalArgumentException e) {
      err.println("mkdaxfs: " + e.getMessage());
      return USAGE;
    }
    Path outDir = Path.of(System.getProperty("java.io.tmpdir"));
    try {
      if (output != null) {
        outDir = OutputFile.resolve(output).getParent();
        refuseInputAsOutput();
      }
    } catch (IOException e) {
      error(err, output + ": cannot write image: " + OutputFile.reason(e, output));
      return OUTPUT;
    }
    try {
      if (sign.key != null) {
        sign.refuseUnwritable(output);
      }
    } catch (IOException e) {
      error(err, e.getMessage());
      return OUTPUT;
    }
    return build(kind, outDir, err);
  }

  /** Refuses an -o that is the -t or --layer archive itself, as mksquashfs does: the build would replace its input. */
  private void refuseInputAsOutput() throws IOException {
    Path target = OutputFile.resolve(output);
    if (!Files.exists(target)) {
      return;
    }
    List<Path> archives = new ArrayList<>(layers);
    if (tar != null && !tar.equals("-")) {
      archives.add(Path.of(tar));
    }
    for (Path archive : archives) {
      if (Files.exists(archive) && Files.isSameFile(archive, target)) {
        throw new IOException(output + ": is the input archive " + archive + "; write the image elsewhere");
      }
    }
  }

  private int build(ImageSpec kind, Path outDir, PrintWriter err) {
    long start = System.nanoTime();
    SpecialFiles specials = new SpecialFiles(special);
    boolean archives = directory == null;
    // Archive files stay open until the image is written: members of uncompressed ones are read in place.
    try (Spool spool = archives ? Spool.create(outDir) : null; ArchiveFiles files = new ArchiveFiles()) {
      sign.loadKey();
      Node.Directory root = readInput(specials, spool, files);
      Dedupe.Result deduped = dedupe ? Dedupe.apply(root, threads(), quiet) : new Dedupe.Result(root, 0, 0);
      ImageLayout layout = ImageLayout.plan(deduped.root(), kind);
      List<String> skipped = specials.skipped();
      if (!skipped.isEmpty() && !quiet) {
        error(err, "warning: skipped " + dev.daxfs.cli.Counted.of(skipped.size(), "special file", "special files") + " (device, fifo or socket;"
            + " v3 cannot store them; --special error refuses them), first: " + skipped.getFirst());
        err.flush();
      }
      SignOption.Sealed sealed = null;
      if (!dryRun) {
        ProgressBar bar = ProgressBar.onTerminal(quiet, "writing", layout.files(), layout.dataBytes());
        // Interrupted, the bar is erased as when done.
        try (Interruption.Registration erase = bar == null ? () -> { } : Interruption.onEnd(bar::finish)) {
          sealed = writeImage(layout, bar == null ? ImageWriter.Progress.NONE : bar);
        }
        if (bar != null) {
          bar.finish();
        }
      }
      Summary summary = new Summary(target(), !dryRun, layout, deduped.files(), deduped.bytesSaved(),
          skipped.size(), System.nanoTime() - start, sealed);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(summary.json()));
      } else if (!quiet) {
        out.println(summary.line());
        if (note != null) {
          out.println(note);
        }
      }
      out.flush();
      return OK;
    } catch (InputException | TreeException e) {
      error(err, e.getMessage());
      return INPUT;
    } catch (IllegalArgumentException e) {
      // A physical range the kernel cannot serve (unaligned, below 1 MiB), found before anything is opened.
      error(err, e.getMessage());
      return USAGE;
    } catch (IOException e) {
      // Memory targets name the device or range in their messages already.
      error(err, output == null || String.valueOf(e.getMessage()).startsWith(output + ": cannot write")
          ? e.getMessage() : output + ": cannot write image: " + OutputFile.reason(new IOException(describe(e)), output));
      return OUTPUT;
    }
  }

  /** One line on stderr: names in input may hold newlines and escape sequences. */
  private static void error(PrintWriter err, String message) {
    err.println("mkdaxfs: " + Names.oneLine(message));
  }

  /**
   * The one place a planned image leaves the program; device targets (-H, -p) belong beside it.
   * Returns the written image's digest, and its signature with --sign.
   */
  private SignOption.Sealed writeImage(ImageLayout layout, ImageWriter.Progress progress) throws IOException {
    try (SourceDirectories.Scope held = SourceDirectories.hold()) {
      return writeImageHeld(layout, progress);
    }
  }

  private SignOption.Sealed writeImageHeld(ImageLayout layout, ImageWriter.Progress progress) throws IOException {
    MemoryTarget.Written written;
    if (heap != null) {
      written = MemoryTarget.heap(layout, heap, mountpoint, writable, validate, progress, sign);
    } else if (phys != null) {
      written = MemoryTarget.phys(layout, phys, size, writable, progress, sign);
    } else if (devdax != null) {
      written = MemoryTarget.devdax(layout, devdax, progress, sign);
    } else {
      try (OutputFile file = OutputFile.create(output, 0644)) {
        return sign.commit(output, file, ImageWriter.write(layout, file.channel(), progress));
      }
    }
    note = written.note();
    return written.sealed();
  }

  /** What the summary names: the image file or the memory written. */
  private String target() {
    return heap != null ? heap.toString() : phys != null ? String.format("0x%x", phys)
        : devdax != null ? devdax.toString() : output != null ? output.toString() : null;
  }

  private Node.Directory readInput(SpecialFiles specials, Spool spool, ArchiveFiles files) throws IOException {
    Ownership owners = Ownership.of(allRoot, forceUid, forceGid);
    if (directory != null) {
      ScanLine line = new ScanLine(!quiet && ProgressBar.stderrIsTerminal() ? System.err : null);
      // A previous image inside the tree is not part of the next one (its replacement has no name yet).
      return new DirectoryTree(owners, specials, threads(), line)
          .excluding(output == null ? null : OutputFile.resolve(output)).scan(directory);
    }
    ArchiveTree tree = new ArchiveTree(owners, specials);
    if (tar != null) {
      String name = tar.equals("-") ? "stdin" : tar;
      if (tar.equals("-") && stdinIsTerminal()) {
        // As tar: whoever types -t - at a prompt is not about to type an archive.
        throw new InputException("refusing to read archive from a terminal (pipe one in, or give -t FILE)");
      }
      if (tar.equals("-")) {
        try (InputStream in = System.in) {
          tree.apply(TarReader.open(in, name), spool, false, name);
        }
      } else {
        try (TarReader reader = files.open(Path.of(tar))) {
          tree.apply(reader, spool, false, name);
        }
      }
    }
    for (Path layer : layers) {
      try (TarReader reader = files.open(layer)) {
        tree.apply(reader, spool, true, layer.toString());
      }
    }
    return tree.toNode();
  }

  private static boolean stdinIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * mkfs.erofs's and mksquashfs's order, SOURCE IMAGE, turned into -d or -t and -o: a directory
   * is read as -d, any other file as an archive (its content says which kind). Null when fine.
   */
  private String positionalError() {
    if (positional.isEmpty()) {
      return null;
    }
    if (positional.size() == 1) {
      return "give SOURCE and IMAGE (mkdaxfs DIR|ARCHIVE IMAGE), or -d DIR / -t ARCHIVE with -o IMAGE";
    }
    if (directory != null || tar != null || !layers.isEmpty() || output != null) {
      return "give SOURCE IMAGE or -d/-t/--layer with -o, not both";
    }
    Path source = Path.of(positional.get(0));
    if (Files.isDirectory(source)) {
      directory = source;
    } else {
      tar = positional.get(0);
    }
    output = Path.of(positional.get(1));
    return null;
  }

  private String usageError() {
    if (empty(directory) || "".equals(tar) || empty(output) || layers.stream().anyMatch(Mkdaxfs::empty)
        || empty(heap) || empty(devdax) || empty(mountpoint) || empty(sign.key) || empty(sign.signatureFile)) {
      return "an empty path is not a file name (for the current directory, say .)";
    }
    int inputs = (directory != null ? 1 : 0) + (tar != null ? 1 : 0) + (layers.isEmpty() ? 0 : 1);
    if (inputs != 1) {
      return inputs == 0 ? "no input: give -d DIR, -t FILE or --layer FILE"
          : "give only one kind of input: -d, -t or --layer";
    }
    int targets = (output != null ? 1 : 0) + (heap != null ? 1 : 0) + (phys != null ? 1 : 0) + (devdax != null ? 1 : 0);
    if (size != null && size == 0) {
      return "-s/--size must be more than 0";
    }
    // A dry run writes nothing, so it needs no target.
    if (targets != 1 && !(targets == 0 && dryRun)) {
      return targets == 0 ? "-o/--output, -H/--heap, -p/--phys or --devdax is required"
          : "give one of -o/--output, -H/--heap, -p/--phys and --devdax";
    }
    if ((heap != null || phys != null) && size == null) {
      return "-s/--size is required with -p/--phys or -H/--heap";
    }
    if (mountpoint != null && heap == null) {
      return "-m/--mountpoint mounts a -H/--heap image; give -H";
    }
    if (validate && mountpoint == null) {
      return "-V/--validate asks the kernel to validate at mount; give -m";
    }
    if (delta != null && !writable) {
      return "-D/--delta needs -w/--writable";
    }
    if (delta != null && size != null) {
      return "-D/--delta and -s/--size conflict: with -s the delta region takes the rest of the image";
    }
    if ((forceUid != null && forceUid < 0) || (forceGid != null && forceGid < 0)) {
      return "--force-uid and --force-gid take a number >= 0";
    }
    return sign.usageError(output, dryRun);
  }

  private static boolean empty(Path p) {
    return p != null && p.toString().isEmpty();
  }

  private static int threads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return "no such file or directory: " + n.getFile();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs with {@code args} and returns the exit status (tests and harnesses). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Mkdaxfs()).setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      dev.daxfs.cli.ToolEdge.sayUsageError("mkdaxfs", ex.getCommandLine().getErr(), ex.getMessage());
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      // Nothing was named yet (the image appears only when complete): a bug, said in one line.
      c.getErr().println("mkdaxfs: " + dev.daxfs.cli.ToolEdge.describe(ex));
      return OUTPUT;
    });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    int status = dev.daxfs.cli.ToolEdge.run("mkdaxfs", OUTPUT, System.err, () -> run(args));
    System.exit(dev.daxfs.cli.StandardOutput.checked("mkdaxfs", status, OUTPUT));
  }
}
