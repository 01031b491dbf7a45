package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.TreeGenerator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every image the codec lays out from a generated tree (odd names, empty, edge-sized and shared
 * files, 4095-byte symlinks, empty directories) is accepted with no problem at all: static and
 * branching, free and fixed size.
 */
class GeneratedImagesTest {

  @ParameterizedTest @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void acceptedWithoutProblems(long seed) throws IOException {
    ImageSpec spec = switch ((int) (seed % 4)) {
      case 0 -> ImageSpec.staticImage();
      case 1 -> ImageSpec.branching(Format.KERNEL_LOG_CAPACITY);
      case 2 -> ImageSpec.branching(1 << 20);
      default -> ImageSpec.staticImage().withFixedSize(16L << 20);
    };
    ImageLayout layout = ImageLayout.plan(TreeGenerator.generate(seed), spec);
    byte[] image = new byte[Math.toIntExact(layout.imageSize())];
    ImageWriter.write(layout, MemorySegment.ofArray(image), ImageWriter.Progress.NONE);
    Report r = Validator.check(ImageBytes.of(image), Options.of(image.length));
    assertEquals(0, r.total(), () -> "seed " + seed + ": " + r.problems());
  }
}
