package dev.daxfs.fuzz;

import dev.daxfs.format.Structs;
import java.util.Arrays;

/**
 * Mutations of a valid image from a stream of choices: small edits aimed at the structures (the
 * superblock, the branch table, the base superblock, the inode table, dirents, the logs) with
 * values that sit on the boundaries the rules draw, and now and then a shorter or longer image;
 * then, sometimes, one {@link StructureEdits} edit and one {@link SheetEdits} edit. Aiming keeps the fuzzer's input small while
 * the images are large.
 */
final class ImageEdits {
  private ImageEdits() {}

  private static final long[] VALUES = {0, 1, 2, 3, 8, 24, 64, 127, 128, 129, 144, 255, 4095, 4096, 4097,
      0xffff, 0x10000, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, Long.MAX_VALUE, -1, -4096};

  static byte[] apply(byte[] image, Choices c) {
    byte[] b = image.clone();
    long base = u64(b, Structs.offset(Structs.SUPERBLOCK, "base_offset"));
    long table = u64(b, Structs.offset(Structs.SUPERBLOCK, "branch_table_offset"));
    long delta = u64(b, Structs.offset(Structs.SUPERBLOCK, "delta_region_offset"));
    int edits = 1 + c.pick(8);
    for (int i = 0; i < edits && !c.exhausted(); i++) {
      long area = switch (c.pick(7)) {
        case 0 -> 0;
        case 1 -> table;
        case 2 -> base;
        case 3 -> base + 4096;
        case 4 -> base + 8192 + 4096L * c.pick(8);
        case 5 -> delta + 65536L * c.pick(4);
        default -> c.pick(Math.max(1, b.length));
      };
      long at = area + c.pick(c.chance(50) ? 128 : 4096);
      int width = new int[] {1, 2, 4, 8}[c.pick(4)];
      if (at < 0 || at > b.length - width) {
        continue;
      }
      long v = c.chance(60) ? VALUES[c.pick(VALUES.length)] + (c.chance(20) ? b.length : 0) : c.pick(Integer.MAX_VALUE);
      for (int k = 0; k < width; k++) {
        b[(int) at + k] = (byte) (v >>> (8 * k));
      }
    }
    if (c.chance(5)) {
      b = Arrays.copyOf(b, c.chance(50) ? c.pick(b.length + 1) : b.length + c.pick(8192));
    }
    // Last in the stream of choices, so that the inputs saved before it keep their edits.
    if (!c.exhausted() && c.chance(30)) {
      StructureEdits.apply(b, c);
    }
    // After the structure edit, for the same reason: one byte the sheet fixes (rules 54-60).
    if (!c.exhausted() && c.chance(30)) {
      SheetEdits.apply(b, c);
    }
    return b;
  }

  private static long u64(byte[] b, long at) {
    return b.length >= at + 8 ? Images.u64(b, at) : 0;
  }
}
