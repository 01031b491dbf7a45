package dev.daxfs.validate;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.daxfs.format.BaseSuperblock;
import dev.daxfs.format.Format;
import dev.daxfs.format.Structs;
import dev.daxfs.format.Superblock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A static image written field by field into off-heap memory, for shapes the layout planner is not
 * meant for (a million dirents in one directory, a million-deep chain with packed dirents). The
 * caller fills the inodes and dirents; offsets come from the codec's layouts.
 */
final class RawImage {
  static final long BASE = Format.BLOCK_SIZE;

  final MemorySegment s;
  final long inodeCount;
  final long dataOffset;   // relative to the base

  /** An image with {@code inodeCount} inodes and {@code dataBytes} of data area (dirents packed). */
  RawImage(Arena arena, long inodeCount, long dataBytes) {
    this.inodeCount = inodeCount;
    this.dataOffset = Format.alignUp(Format.BLOCK_SIZE + inodeCount * Format.INODE_SIZE);
    long baseSize = dataOffset + dataBytes;
    long total = BASE + baseSize;
    this.s = arena.allocate(total, Format.BLOCK_SIZE);
    put(new Superblock(Format.IMAGE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, total, BASE, baseSize, 0, 0, 0, 0,
        inodeCount + 1, 0, 0, 0).encode(), 0);
    put(new BaseSuperblock(Format.BASE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, baseSize, Format.BLOCK_SIZE,
        (int) inodeCount, Format.ROOT_INO, dataOffset).encode(), BASE);
  }

  private void put(byte[] b, long at) {
    MemorySegment.copy(MemorySegment.ofArray(b), 0, s, at, b.length);
  }

  // Resolved once: a layout path lookup per field write would dominate building a million inodes.
  private static final long INO = Structs.offset(Structs.INODE, "ino");
  private static final long MODE = Structs.offset(Structs.INODE, "mode");
  private static final long SIZE = Structs.offset(Structs.INODE, "size");
  private static final long DATA = Structs.offset(Structs.INODE, "data_offset");
  private static final long NLINK = Structs.offset(Structs.INODE, "nlink");
  private static final long D_INO = Structs.offset(Structs.DIRENT, "ino");
  private static final long D_MODE = Structs.offset(Structs.DIRENT, "mode");
  private static final long D_NAME_LEN = Structs.offset(Structs.DIRENT, "name_len");
  private static final long D_NAME = Structs.offset(Structs.DIRENT, "name");

  /** Inode {@code ino} with {@code size} bytes at base offset {@code rel}. */
  void inode(long ino, int mode, long size, long rel) {
    long at = BASE + Format.BLOCK_SIZE + (ino - 1) * Format.INODE_SIZE;
    s.set(JAVA_INT_UNALIGNED, at + INO, (int) ino);
    s.set(JAVA_INT_UNALIGNED, at + MODE, mode);
    s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at + SIZE, size);
    s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at + DATA, rel);
    s.set(JAVA_INT_UNALIGNED, at + NLINK, 1);
  }

  /** A one-byte-named dirent at base offset {@code rel}. */
  void dirent(long rel, long ino, int mode, byte name) {
    long at = BASE + rel;
    s.set(JAVA_INT_UNALIGNED, at + D_INO, (int) ino);
    s.set(JAVA_INT_UNALIGNED, at + D_MODE, mode);
    s.set(JAVA_SHORT_UNALIGNED, at + D_NAME_LEN, (short) 1);
    s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + D_NAME, name);
  }

  Report check() {
    return Validator.check(new dev.daxfs.format.ImageBytes(s), Options.of(s.byteSize()));
  }
}
