package dev.daxfs.format;

import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.offset;

import java.lang.foreign.MemorySegment;

/**
 * One 64-byte base inode. {@code slot} is the 1-based table position it was read from, {@code ino}
 * what the inode itself claims (a valid image has them equal). dataOffset is relative to the base.
 */
public record Inode(int slot, int ino, int mode, int uid, int gid, long size, long dataOffset, int nlink) {

  static final String NAME = "inode";

  static Inode read(ImageBytes b, long at, int slot) {
    b.require(at, INODE.byteSize(), NAME);
    return new Inode(slot,
        b.u32(at + offset(INODE, "ino"), NAME),
        b.u32(at + offset(INODE, "mode"), NAME),
        b.u32(at + offset(INODE, "uid"), NAME),
        b.u32(at + offset(INODE, "gid"), NAME),
        b.u64(at + offset(INODE, "size"), NAME),
        b.u64(at + offset(INODE, "data_offset"), NAME),
        b.u32(at + offset(INODE, "nlink"), NAME));
  }

  public boolean isDirectory() { return Format.isDirectory(mode); }
  public boolean isRegular() { return Format.isRegular(mode); }
  public boolean isSymlink() { return Format.isSymlink(mode); }

  /** Writes the 64 bytes of this inode at {@code at} in {@code s}. */
  void encodeInto(MemorySegment s, long at) {
    Encoding.putU32(s, at + offset(INODE, "ino"), ino);
    Encoding.putU32(s, at + offset(INODE, "mode"), mode);
    Encoding.putU32(s, at + offset(INODE, "uid"), uid);
    Encoding.putU32(s, at + offset(INODE, "gid"), gid);
    Encoding.putU64(s, at + offset(INODE, "size"), size);
    Encoding.putU64(s, at + offset(INODE, "data_offset"), dataOffset);
    Encoding.putU32(s, at + offset(INODE, "nlink"), nlink);
  }
}
