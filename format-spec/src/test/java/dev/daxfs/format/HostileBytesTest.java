package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Truncated and corrupted images: every prefix, and every single-byte change of the metadata,
 * make the reader return data or raise FormatException, nothing else, with a visit count bounded
 * by the image size (never by a field's value).
 */
class HostileBytesTest {
  private static final int[] SETS = {0x00, 0x80, 0xff};

  /** The static image of LoggedImage's tree. */
  private static byte[] staticImage() throws Exception {
    ImageLayout layout = ImageLayout.plan(LoggedImage.tree(), ImageSpec.staticImage());
    byte[] image = new byte[Math.toIntExact(layout.imageSize())];
    ImageWriter.write(layout, MemorySegment.ofArray(image), ImageWriter.Progress.NONE);
    return image;
  }

  @Test
  void intactImagesWalkCompletely() throws Exception {
    // The walk really reaches everything: 8 inodes, 3 + 1 + 3 dirents, 3 + 5 log entries.
    assertEquals(8 + 7, ImageWalk.walk(ImageBytes.of(staticImage())));
    assertEquals(8 + 7 + 3 + 5, ImageWalk.walk(ImageBytes.of(LoggedImage.bytes())));
  }

  @Test
  void everyPrefixOfAStaticImage() throws Exception {
    everyPrefix(staticImage());
  }

  /**
   * Every prefix up to the end of the base image and around each log, and every block boundary
   * (and one byte either side) beyond. The lengths left out end inside free branch records or free
   * delta space, zeros that no structure reads; every region end there is a block boundary.
   */
  @Test
  void everyPrefixOfABranchingImageWithLogs() throws Exception {
    byte[] image = LoggedImage.bytes();
    Image intact = Image.open(ImageBytes.of(image));
    java.util.TreeSet<Long> lengths = new java.util.TreeSet<>();
    BaseImage base = intact.base();
    for (long len = 0; len <= base.start() + base.length() + 1; len++) {
      lengths.add(len);
    }
    for (BranchRecord r : intact.branchTable().used()) {
      for (long len = r.logOffset() - 1; len <= r.logOffset() + r.logSize() + 1; len++) {
        lengths.add(len);
      }
    }
    for (long block = 0; block <= image.length; block += Format.BLOCK_SIZE) {
      lengths.addAll(List.of(block - 1, block, block + 1));
    }
    MemorySegment all = MemorySegment.ofArray(image);
    for (long len : lengths.subSet(0L, true, (long) image.length, true)) {
      walkChecked(new ImageBytes(all.asSlice(0, len)), "prefix of " + len + " bytes");
    }
  }

  @Test
  void everyMetadataByteChangeOfAStaticImage() throws Exception {
    everyByteChange(staticImage());
  }

  @Test
  void everyMetadataByteChangeOfABranchingImageWithLogs() throws Exception {
    everyByteChange(LoggedImage.bytes());
  }

  private static void everyPrefix(byte[] image) {
    MemorySegment all = MemorySegment.ofArray(image);
    for (long len = 0; len <= image.length; len++) {
      walkChecked(new ImageBytes(all.asSlice(0, len)), "prefix of " + len + " bytes");
    }
  }

  private static void everyByteChange(byte[] image) {
    List<long[]> ranges = LoggedImage.metadataRanges(Image.open(ImageBytes.of(image)));
    ImageBytes bytes = ImageBytes.of(image);
    long changes = 0;
    for (long[] r : ranges) {
      for (long at = r[0]; at < r[0] + r[1]; at++) {
        int i = Math.toIntExact(at);
        byte original = image[i];
        int[] values = {original ^ 0xff, SETS[0], SETS[1], SETS[2]};
        for (int v : values) {
          if ((byte) v == original) {
            continue;
          }
          image[i] = (byte) v;
          walkChecked(bytes, "byte " + at + " set to 0x" + Integer.toHexString(v & 0xff));
          changes++;
        }
        image[i] = original;
      }
    }
    assertTrue(changes > 1000, changes + " changes tried");
  }

  private static void walkChecked(ImageBytes bytes, String what) {
    long visits;
    try {
      visits = ImageWalk.walk(bytes);
    } catch (FormatException e) {
      return;
    } catch (Throwable t) {
      fail(what + ": " + t, t);
      return;
    }
    // Inodes, dirents and log entries each take at least 24 bytes of the image.
    long bound = ImageWalk.bound(bytes.size());
    assertTrue(visits <= bound, what + ": " + visits + " visits for " + bytes.size() + " bytes");
  }
}
