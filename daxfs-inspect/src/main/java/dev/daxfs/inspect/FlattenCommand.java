package dev.daxfs.inspect;

import dev.daxfs.cli.Sizes;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.format.TreeException;
import dev.daxfs.nativemem.OutputFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A new image whose base is a branch's view, laid out and written as mkdaxfs writes images
 * (an OutputFile: unnamed until complete, then renamed over the output): the way to keep a branch's work, since the v3 kernel
 * forgets branches when it mounts.
 */
@Command(name = "flatten", description = "Write a new image whose base is the branch's view.")
final class FlattenCommand extends ImageCommand {
  @Option(names = {"-o", "--output"}, paramLabel = "NEW", required = true, description = "The image to write.")
  Path output;

  @Option(names = {"-w", "--writable"}, description = "Branching image: branch table and delta region.")
  boolean writable;

  @Option(names = {"-D", "--delta"}, paramLabel = "SIZE", converter = Sizes.class,
      description = "Delta region size with -w (default: 64M). Suffixes K, M, G, T.")
  Long delta;

  @Override int run(Target t, PrintWriter out) throws IOException {
    if (delta != null && !writable) {
      throw new UsageException("-D/--delta needs -w/--writable");
    }
    if (output.toString().isEmpty()) {
      throw new UsageException("-o: an empty path is not a file name");
    }
    // Refused before the work: a device, FIFO, socket or directory, or a missing directory.
    Path target;
    try {
      target = OutputFile.resolve(output);
    } catch (IOException e) {
      throw new IOException(output + ": cannot write image: " + OutputFile.reason(e, output), e);
    }
    if (t.memory == null && Files.exists(target) && Files.isSameFile(target, t.path)) {
      throw new UsageException(output + ": is the input image; write the flattened image elsewhere");
    }
    var branch = t.branch(branch());
    List<String> skipped = new ArrayList<>();
    Node.Directory root = ViewTree.of(t.view(branch), skipped);
    ImageLayout layout;
    try {
      layout = ImageLayout.plan(root, writable ? ImageSpec.branching(delta == null ? Format.DEFAULT_DELTA_SIZE : delta)
          : ImageSpec.staticImage());
    } catch (TreeException | IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try (OutputFile file = OutputFile.create(output, 0644)) {
      ImageWriter.write(layout, file.channel(), ImageWriter.Progress.NONE);
      file.commit();
    } catch (IOException e) {
      throw new IOException(output + ": cannot write image: " + OutputFile.reason(e, output), e);
    }
    if (json) {
      result.put("branch", Target.label(branch));
      result.put("output", output.toString());
      result.put("inodes", layout.inodeCount());
      result.put("directories", layout.directories());
      result.put("files", layout.files());
      result.put("symlinks", layout.symlinks());
      result.put("data_bytes", layout.dataBytes());
      result.put("image_bytes", layout.imageSize());
      result.put("branching", writable);
      result.put("skipped", skipped);
      return OK;
    }
    out.printf("%s: branch %s flattened: %d inodes (%d directories, %d files, %d symlinks), %s of file data,"
        + " image %s (%s)%n", output, Target.label(branch), layout.inodeCount(), layout.directories(), layout.files(),
        layout.symlinks(), Sizes.human(layout.dataBytes()), Sizes.human(layout.imageSize()),
        writable ? "branching, delta " + Sizes.human(layout.superblock().deltaRegionSize()) : "static");
    skipped.forEach(s -> out.println("skipped: " + s));
    return OK;
  }
}
