package dev.daxfs.format;

import java.lang.foreign.MemorySegment;

/**
 * The image held in a memory region (a devdax device, a physical range, a dma-buf), which is
 * usually larger than the image: the image is the prefix its superblock's total_size claims.
 */
public final class MemoryImage {
  private MemoryImage() {}

  /**
   * The first total_size bytes of {@code memory}; all of it when the superblock cannot be read or
   * claims more than the region holds, so that a validator reports the mismatch.
   */
  public static ImageBytes of(MemorySegment memory) {
    ImageBytes whole = new ImageBytes(memory);
    try {
      long claimed = Superblock.read(whole).totalSize();
      return claimed > 0 && claimed <= memory.byteSize() ? new ImageBytes(memory.asSlice(0, claimed)) : whole;
    } catch (FormatException e) {
      return whole;
    }
  }
}
