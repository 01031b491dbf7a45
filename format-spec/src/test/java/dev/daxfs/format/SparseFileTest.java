package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aligned zero blocks stay holes; every byte reads back as written; the image digest is unchanged. */
class SparseFileTest {
  @TempDir Path dir;

  @Test
  void zeroBlocksAreHolesAndEveryByteReadsBack() throws Exception {
    // Unaligned start and runs of zeros that cross block edges: only whole aligned blocks may be skipped.
    byte[] data = new byte[200_000];
    Arrays.fill(data, 0, 5000, (byte) 1);
    data[30_000] = 2;
    data[30_001] = 3;
    data[199_999] = 4;
    Path file = dir.resolve("f");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer src = ByteBuffer.wrap(data, 100, data.length - 100).slice();
      SparseFile.write(ch, 1100, src);
      assertEquals(0, src.remaining(), "the buffer is consumed");
    }
    byte[] expected = new byte[1000 + data.length];
    System.arraycopy(data, 100, expected, 1100, data.length - 100);
    assertArrayEquals(expected, Files.readAllBytes(file));
    // Touched: [0, 8192) for the ones, one block for bytes 2 and 3, the last block.
    long allocated = allocatedBytes(file);
    assertTrue(allocated <= 4 * 4096, allocated + " bytes allocated for " + expected.length);
  }

  @Test
  void anImageOfZerosIsSparseWithTheSameBytesAndDigest() throws Exception {
    byte[] zeros = new byte[32 << 20];
    byte[] tail = Arrays.copyOf(zeros, zeros.length + 3);
    tail[tail.length - 1] = 9;
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("zeros"), 0644, 0, 0, zeros.length, Content.of(zeros)),
        new Node.File(Node.name("tail"), 0644, 0, 0, tail.length, Content.of(tail))));
    ImageLayout layout = ImageLayout.plan(tree, ImageSpec.staticImage());
    Path out = dir.resolve("img");
    ImageDigest written = ImageWriter.write(layout, out, ImageWriter.Progress.NONE);
    long allocated = allocatedBytes(out);
    assertTrue(allocated < 1 << 20, allocated + " bytes allocated for " + Files.size(out));
    try (ImageFile f = ImageFile.open(out)) {
      assertEquals(ImageDigest.of(f.image()), written);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment memory = arena.allocate(layout.imageSize());
      ImageWriter.write(layout, memory, ImageWriter.Progress.NONE);
      assertArrayEquals(memory.toArray(ValueLayout.JAVA_BYTE), Files.readAllBytes(out),
          "the file holds the bytes written to memory");
    }
  }

  /** st_blocks in bytes, as stat(1) reports it. */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
    String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
    assertEquals(0, p.waitFor(), String.join(" ", out));
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }
}
