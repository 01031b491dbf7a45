package dev.daxfs.format;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

import java.lang.foreign.MemorySegment;

/** The base image's own superblock; its offsets are relative to the base image. */
public record BaseSuperblock(
    int magic, int version, int flags, int blockSize, long totalSize,
    long inodeOffset, int inodeCount, int rootInode, long dataOffset) {

  static final String NAME = "base superblock";

  /** Reads the base superblock at absolute {@code at}. */
  public static BaseSuperblock read(ImageBytes b, long at) {
    b.require(at, BASE_SUPERBLOCK.byteSize(), NAME);
    return new BaseSuperblock(
        b.u32(at + offset(BASE_SUPERBLOCK, "magic"), NAME),
        b.u32(at + offset(BASE_SUPERBLOCK, "version"), NAME),
        b.u32(at + offset(BASE_SUPERBLOCK, "flags"), NAME),
        b.u32(at + offset(BASE_SUPERBLOCK, "block_size"), NAME),
        b.u64(at + offset(BASE_SUPERBLOCK, "total_size"), NAME),
        b.u64(at + offset(BASE_SUPERBLOCK, "inode_offset"), NAME),
        b.u32(at + offset(BASE_SUPERBLOCK, "inode_count"), NAME),
        b.u32(at + offset(BASE_SUPERBLOCK, "root_inode"), NAME),
        b.u64(at + offset(BASE_SUPERBLOCK, "data_offset"), NAME));
  }

  /** inode_count as the unsigned number it is. */
  public long inodeCountUnsigned() { return Integer.toUnsignedLong(inodeCount); }

  public byte[] encode() {
    byte[] out = new byte[Format.BASE_SUPERBLOCK_SIZE];
    MemorySegment s = MemorySegment.ofArray(out);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "magic"), magic);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "version"), version);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "flags"), flags);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "block_size"), blockSize);
    Encoding.putU64(s, offset(BASE_SUPERBLOCK, "total_size"), totalSize);
    Encoding.putU64(s, offset(BASE_SUPERBLOCK, "inode_offset"), inodeOffset);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "inode_count"), inodeCount);
    Encoding.putU32(s, offset(BASE_SUPERBLOCK, "root_inode"), rootInode);
    Encoding.putU64(s, offset(BASE_SUPERBLOCK, "data_offset"), dataOffset);
    return out;
  }
}
