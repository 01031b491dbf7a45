package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageBytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zero scan over a file mapped with our own mmap (fsck and inspect map images that way) gives
 * the pages it has read back, so scanning the padding of a large image does not leave the whole
 * image resident. Without the release hook the same scan leaves it all resident, which shows the
 * measurement can tell the two apart.
 */
class MappedMemoryReleaseTest {
  static final long SIZE = 256L << 20;

  @TempDir Path dir;

  @Test
  void aZeroScanGivesBackThePagesItRead() throws IOException {
    long withRelease = residentGrowth(true);
    long without = residentGrowth(false);
    assertTrue(withRelease < 64L << 20, () -> "released scan grew RSS by " + withRelease + " bytes");
    assertTrue(without > SIZE / 2, () -> "a scan without release grew RSS by only " + without + " bytes");
  }

  private long residentGrowth(boolean release) throws IOException {
    Path image = dir.resolve("sparse-" + release);
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(SIZE);   // all hole: reading it fills the page cache with zeros
    }
    try (InputFile file = InputFile.open(image, "an image", true); MappedMemory memory = file.map()) {
      ImageBytes bytes = release ? new ImageBytes(memory.segment(), memory::release) : new ImageBytes(memory.segment());
      long before = residentBytes();
      assertEquals(-1, bytes.firstNonZero(0, SIZE, "padding"));
      return residentBytes() - before;
    } finally {
      Files.delete(image);
    }
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }
}
