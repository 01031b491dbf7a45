package dev.daxfs.mkfs;

import dev.daxfs.cli.Sizes;
import dev.daxfs.cli.VersionInfo;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.format.TreeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mkdaxfs", versionProvider = VersionInfo.class,
    sortOptions = false,
    description = "Build a DAXFS v3 image from a directory tree.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:image written", "1:bad usage", "2:input error (the tree cannot be read or stored)",
        "3:output error (the image cannot be written)"})
public final class Mkdaxfs implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int INPUT = 2;
  static final int OUTPUT = 3;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", required = true,
      description = "Source directory (symlinks are stored, never followed).")
  Path directory;

  @Option(names = {"-o", "--output"}, paramLabel = "IMAGE", required = true,
      description = "Image file to write (written to a temporary file and renamed when complete).")
  Path output;

  @Option(names = {"-w", "--writable"},
      description = "Branching image: branch table and delta region, mountable read-write.")
  boolean writable;

  @Option(names = {"-D", "--delta"}, paramLabel = "SIZE", converter = Sizes.class,
      description = "Delta region size with -w (default: 64M). Suffixes K, M, G.")
  Long delta;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;

  @CommandLine.Mixin dev.daxfs.cli.HelpOptions helpOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (delta != null && !writable) {
      err.println("mkdaxfs: -D/--delta needs -w/--writable");
      return USAGE;
    }
    if (!Files.isDirectory(directory)) {
      err.println("mkdaxfs: " + directory + ": no such directory");
      return INPUT;
    }
    DirectoryTree reader = new DirectoryTree();
    ImageLayout layout;
    try {
      Node.Directory root = reader.scan(directory);
      ImageSpec kind = writable ? ImageSpec.branching(delta == null ? Format.DEFAULT_DELTA_SIZE : delta)
          : ImageSpec.staticImage();
      layout = ImageLayout.plan(root, kind);
    } catch (IOException | TreeException | IllegalArgumentException e) {
      err.println("mkdaxfs: " + e.getMessage());
      return INPUT;
    }
    if (!reader.skipped().isEmpty() && !quiet) {
      err.println("mkdaxfs: warning: skipped " + reader.skipped().size()
          + " special file(s) (device, fifo or socket; v3 cannot store them), first: " + reader.skipped().get(0));
    }
    try {
      ImageWriter.write(layout, output, ImageWriter.Progress.NONE);
    } catch (IOException e) {
      String msg = e.getMessage();
      // Errors naming a source path are input errors; the rest concern the output.
      if (msg != null && msg.contains("changed size while being read")) {
        err.println("mkdaxfs: " + msg);
        return INPUT;
      }
      err.println("mkdaxfs: " + output + ": cannot write image: " + describe(e));
      return OUTPUT;
    }
    if (!quiet) {
      out.printf("%s: %d inodes (%d directories, %d files, %d symlinks), %s of file data, image %s (%s)%n",
          output, layout.inodeCount(), layout.directories(), layout.files(), layout.symlinks(),
          Sizes.human(layout.dataBytes()), Sizes.human(layout.imageSize()),
          writable ? "branching, delta " + Sizes.human(layout.superblock().deltaRegionSize()) : "static");
    }
    return OK;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return "no such directory: " + n.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Mkdaxfs());
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("mkdaxfs: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Try 'mkdaxfs --help' for more information.");
      return USAGE;
    });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
