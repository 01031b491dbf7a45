package dev.daxfs.format;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;

import java.lang.foreign.MemorySegment;

/** The base image's own superblock; its offsets are relative to the base image. */
public record BaseSuperblock(
    int magic, int version, int flags, int blockSize, long totalSize,
    long inodeOffset, int inodeCount, int rootInode, long dataOffset) {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long BASE_SUPERBLOCK_MAGIC = Structs.offset(BASE_SUPERBLOCK, "magic");
  private static final long BASE_SUPERBLOCK_VERSION = Structs.offset(BASE_SUPERBLOCK, "version");
  private static final long BASE_SUPERBLOCK_FLAGS = Structs.offset(BASE_SUPERBLOCK, "flags");
  private static final long BASE_SUPERBLOCK_BLOCK_SIZE = Structs.offset(BASE_SUPERBLOCK, "block_size");
  private static final long BASE_SUPERBLOCK_TOTAL_SIZE = Structs.offset(BASE_SUPERBLOCK, "total_size");
  private static final long BASE_SUPERBLOCK_INODE_OFFSET = Structs.offset(BASE_SUPERBLOCK, "inode_offset");
  private static final long BASE_SUPERBLOCK_INODE_COUNT = Structs.offset(BASE_SUPERBLOCK, "inode_count");
  private static final long BASE_SUPERBLOCK_ROOT_INODE = Structs.offset(BASE_SUPERBLOCK, "root_inode");
  private static final long BASE_SUPERBLOCK_DATA_OFFSET = Structs.offset(BASE_SUPERBLOCK, "data_offset");


  static final String NAME = "base superblock";

  /** Reads the base superblock at absolute {@code at}. */
  public static BaseSuperblock read(ImageBytes b, long at) {
    b.require(at, BASE_SUPERBLOCK.byteSize(), NAME);
    return new BaseSuperblock(
        b.u32(at + BASE_SUPERBLOCK_MAGIC, NAME),
        b.u32(at + BASE_SUPERBLOCK_VERSION, NAME),
        b.u32(at + BASE_SUPERBLOCK_FLAGS, NAME),
        b.u32(at + BASE_SUPERBLOCK_BLOCK_SIZE, NAME),
        b.u64(at + BASE_SUPERBLOCK_TOTAL_SIZE, NAME),
        b.u64(at + BASE_SUPERBLOCK_INODE_OFFSET, NAME),
        b.u32(at + BASE_SUPERBLOCK_INODE_COUNT, NAME),
        b.u32(at + BASE_SUPERBLOCK_ROOT_INODE, NAME),
        b.u64(at + BASE_SUPERBLOCK_DATA_OFFSET, NAME));
  }

  /** inode_count as the unsigned number it is. */
  public long inodeCountUnsigned() { return Integer.toUnsignedLong(inodeCount); }

  public byte[] encode() {
    byte[] out = new byte[Format.BASE_SUPERBLOCK_SIZE];
    MemorySegment s = MemorySegment.ofArray(out);
    Encoding.putU32(s, BASE_SUPERBLOCK_MAGIC, magic);
    Encoding.putU32(s, BASE_SUPERBLOCK_VERSION, version);
    Encoding.putU32(s, BASE_SUPERBLOCK_FLAGS, flags);
    Encoding.putU32(s, BASE_SUPERBLOCK_BLOCK_SIZE, blockSize);
    Encoding.putU64(s, BASE_SUPERBLOCK_TOTAL_SIZE, totalSize);
    Encoding.putU64(s, BASE_SUPERBLOCK_INODE_OFFSET, inodeOffset);
    Encoding.putU32(s, BASE_SUPERBLOCK_INODE_COUNT, inodeCount);
    Encoding.putU32(s, BASE_SUPERBLOCK_ROOT_INODE, rootInode);
    Encoding.putU64(s, BASE_SUPERBLOCK_DATA_OFFSET, dataOffset);
    return out;
  }
}
