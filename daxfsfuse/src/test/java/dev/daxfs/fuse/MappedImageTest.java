package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which mappings the kernel may read by address. An image file's may; raw page frames (a /dev/mem
 * range, a dma-buf) may not: those are in vm-tests' guest (fuse-phys, fuse-dmabuf), as this host
 * has neither.
 */
class MappedImageTest {
  @TempDir Path dir;

  @Test void anImageFileIsHandedToTheKernelByAddress() throws Exception {
    Path source = Files.createDirectory(dir.resolve("source"));
    Files.writeString(source.resolve("a"), "a");
    Path image = dir.resolve("a.daxfs");
    ImageWriter.write(ImageLayout.plan(SourceTree.read(source), ImageSpec.staticImage()), image,
        ImageWriter.Progress.NONE);
    try (MappedImage m = MappedImage.ofFile(image)) {
      assertTrue(m.pinnable());
    }
  }
}
