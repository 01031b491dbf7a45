package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item 4 of the image digest: zero blocks and trailing zeros are left out, and every byte still counts. */
class BlockRecordsTest {
  @TempDir Path dir;

  private static int used(byte[] block) {
    // At an offset inside a larger segment, as blocks are found in an image.
    byte[] padded = new byte[block.length + 9];
    padded[0] = 1;
    System.arraycopy(block, 0, padded, 3, block.length);
    padded[padded.length - 1] = 1;
    return BlockRecords.usedLength(MemorySegment.ofArray(padded), 3, block.length);
  }

  @Test
  void aBlockCountsUpToItsLastNonZeroByte() {
    assertEquals(0, used(new byte[4096]));
    assertEquals(0, used(new byte[17]));
    byte[] b = new byte[4096];
    b[0] = 1;
    assertEquals(1, used(b));
    b[9] = 'x';
    assertEquals(10, used(b));
    b[4095] = 2;
    assertEquals(4096, used(b));
    byte[] shortLast = {0, 0, 5, 0, 0};
    assertEquals(3, used(shortLast));
    for (int at = 0; at < 64; at++) {   // every position of the last byte of a long word and around it
      byte[] c = new byte[64];
      c[at] = (byte) 0x80;
      assertEquals(at + 1, used(c), "non-zero byte at " + at);
    }
  }

  /**
   * A file of three blocks, the middle one zeros and the last holding one byte: its records are
   * the first block whole and one byte of the last; the written digest is the one read back; a
   * byte changed in the zero block or in the padding after the last byte changes the digest, and
   * so does the last block's byte moved one block down.
   */
  @Test
  void zeroBlocksAndTrailingZerosAreLeftOutButCovered() throws Exception {
    byte[] data = new byte[2 * 4096 + 1];
    new Random(3).nextBytes(data);
    java.util.Arrays.fill(data, 4096, 8192, (byte) 0);
    data[8192] = 'x';
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("f"), 0644, 0, 0, data.length, Content.of(data))));
    ImageLayout layout = ImageLayout.plan(tree, ImageSpec.staticImage());
    Path file = dir.resolve("img");
    ImageDigest written = ImageWriter.write(layout, file, ImageWriter.Progress.NONE);
    byte[] image = Files.readAllBytes(file);
    Image img = Image.open(ImageBytes.of(image));
    long fileAt = img.base().start() + layout.dataOffset(2);
    long fileBlock = (fileAt - img.superblock().baseOffset()) / 4096;

    List<long[]> records = new ArrayList<>();
    DigestedBytes.of(img).records((index, segment, offset, length) -> records.add(new long[] {index, length}));
    List<long[]> ofFile = records.stream().filter(r -> r[0] >= fileBlock).toList();
    assertEquals(2, ofFile.size(), "the zero block has no record");
    assertEquals(List.of(fileBlock, 4096L), List.of(ofFile.get(0)[0], ofFile.get(0)[1]));
    assertEquals(List.of(fileBlock + 2, 1L), List.of(ofFile.get(1)[0], ofFile.get(1)[1]), "trailing zeros left out");

    ImageDigest read = ImageDigest.of(img);
    assertEquals(written, read);
    for (long at : new long[] {fileAt + 4096, fileAt + 6000, fileAt + 8191, fileAt + 8193, fileAt + 12287}) {
      image[(int) at] = 1;
      assertNotEquals(read, ImageDigest.of(Image.open(ImageBytes.of(image))), "byte at " + at);
      image[(int) at] = 0;
    }
    assertEquals(read, ImageDigest.of(Image.open(ImageBytes.of(image))));
    // The same records but the last moved one block down: the index is hashed too.
    image[(int) fileAt + 4096] = 'x';
    image[(int) fileAt + 8192] = 0;
    assertNotEquals(read, ImageDigest.of(Image.open(ImageBytes.of(image))));
  }
}
