package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * reclaim of an image file with a 1 GiB hole (a file of zeros in the base, which the writer leaves
 * unwritten) asks the file where its data is (SEEK_DATA, SEEK_HOLE) and never reads the hole: the
 * old image's page cache (fincore, through a second link to it) holds its data only, where
 * reading the hole through the mapping filled 1 GiB of it with zeros (and took 46 s for a 4 GiB
 * image on a slow disk). The output keeps the hole and has the same bytes.
 */
@Timeout(120)
class SparseReclaimTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @Test void theHoleIsNeitherReadNorFilled() throws Exception {
    Path zeros = dir.resolve("zeros");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(GIB);
    }
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(n("a"), 0644, 0, 0, 16, Content.of(n("before the hole\n"))),
        new Node.File(n("big"), 0644, 0, 0, GIB, Content.of(zeros)),
        new Node.File(n("z"), 0644, 0, 0, 15, Content.of(n("after the hole\n")))));
    Path img = dir.resolve("sparse.img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.branching(1 << 20)), img, ImageWriter.Progress.NONE);
    Files.delete(zeros);
    // The old image stays reachable after reclaim renames the new one over its name.
    Path before = Files.createLink(dir.resolve("before.img"), img);
    long size = Files.size(img);
    assertTrue(size > GIB, "size " + size);
    assertTrue(blocks(img) * 512 < 64L << 20, "the writer left the hole: " + blocks(img) + " blocks");
    assertTrue(cached(before) < 64L << 20, "the hole is not in the page cache yet: " + cached(before));

    long start = System.nanoTime();
    Run r = Run.ok("reclaim", "--yes", "-f", img.toString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cached = cached(before);
    System.err.println("reclaim of a " + size + "-byte image with a 1 GiB hole: " + millis + " ms, " + cached
        + " bytes of it read into the page cache");
    assertTrue(r.out().endsWith("freed 0 bytes of delta space\n"), r.toString());
    assertTrue(cached < 64L << 20, cached + " bytes of the old image in the page cache: the hole was read");
    assertEquals(size, Files.size(img));
    assertTrue(blocks(img) * 512 < 64L << 20, "the hole stays a hole: " + blocks(img) + " blocks");
    assertEquals("after the hole\n", Run.ok("cat", "-f", img.toString(), "/z").out());
    assertSameBytes(before, img);
  }

  /** Both files' bytes, read where either has data (the holes of both are zeros). */
  private static void assertSameBytes(Path expected, Path actual) throws IOException {
    try (FileChannel a = FileChannel.open(expected, StandardOpenOption.READ);
        FileChannel b = FileChannel.open(actual, StandardOpenOption.READ)) {
      ByteBuffer x = ByteBuffer.allocate(1 << 20);
      ByteBuffer y = ByteBuffer.allocate(1 << 20);
      for (long at = 0; at < a.size(); at += x.capacity()) {
        x.clear();
        y.clear();
        a.read(x, at);
        b.read(y, at);
        assertArrayEquals(x.array(), y.array(), "bytes at " + at);
      }
    }
  }

  private static long blocks(Path p) throws IOException {
    Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
    return Long.parseLong(new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
  }

  /** The bytes of {@code p} in the page cache (fincore, util-linux). */
  private static long cached(Path p) throws IOException {
    Process fincore = new ProcessBuilder("fincore", "-b", "-n", "-o", "RES", p.toString()).start();
    String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    return Long.parseLong(out);
  }

  private static byte[] n(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
