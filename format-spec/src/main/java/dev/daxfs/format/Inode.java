package dev.daxfs.format;

import static dev.daxfs.format.Structs.INODE;

import java.lang.foreign.MemorySegment;

/**
 * One 64-byte base inode. {@code slot} is the 1-based table position it was read from, {@code ino}
 * what the inode itself claims (a valid image has them equal). dataOffset is relative to the base.
 */
public record Inode(int slot, int ino, int mode, int uid, int gid, long size, long dataOffset, int nlink) {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long INODE_INO = Structs.offset(INODE, "ino");
  private static final long INODE_MODE = Structs.offset(INODE, "mode");
  private static final long INODE_UID = Structs.offset(INODE, "uid");
  private static final long INODE_GID = Structs.offset(INODE, "gid");
  private static final long INODE_SIZE = Structs.offset(INODE, "size");
  private static final long INODE_DATA_OFFSET = Structs.offset(INODE, "data_offset");
  private static final long INODE_NLINK = Structs.offset(INODE, "nlink");


  static final String NAME = "inode";

  static Inode read(ImageBytes b, long at, int slot) {
    b.require(at, INODE.byteSize(), NAME);
    return new Inode(slot,
        b.u32(at + INODE_INO, NAME),
        b.u32(at + INODE_MODE, NAME),
        b.u32(at + INODE_UID, NAME),
        b.u32(at + INODE_GID, NAME),
        b.u64(at + INODE_SIZE, NAME),
        b.u64(at + INODE_DATA_OFFSET, NAME),
        b.u32(at + INODE_NLINK, NAME));
  }

  public boolean isDirectory() { return Format.isDirectory(mode); }
  public boolean isRegular() { return Format.isRegular(mode); }
  public boolean isSymlink() { return Format.isSymlink(mode); }

  /** Writes the 64 bytes of this inode at {@code at} in {@code s}. */
  void encodeInto(MemorySegment s, long at) {
    Encoding.putU32(s, at + INODE_INO, ino);
    Encoding.putU32(s, at + INODE_MODE, mode);
    Encoding.putU32(s, at + INODE_UID, uid);
    Encoding.putU32(s, at + INODE_GID, gid);
    Encoding.putU64(s, at + INODE_SIZE, size);
    Encoding.putU64(s, at + INODE_DATA_OFFSET, dataOffset);
    Encoding.putU32(s, at + INODE_NLINK, nlink);
  }
}
