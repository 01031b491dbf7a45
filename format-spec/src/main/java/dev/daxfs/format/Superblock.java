package dev.daxfs.format;

import static dev.daxfs.format.Structs.SUPERBLOCK;

/** The image superblock at offset 0, field by field as stored (u64 fields may be "negative"). */
public record Superblock(
    int magic, int version, int flags, int blockSize,
    long totalSize, long baseOffset, long baseSize,
    long branchTableOffset, int branchTableEntries, int activeBranches,
    long nextBranchId, long nextInodeId,
    long deltaRegionOffset, long deltaRegionSize, long deltaAllocOffset) {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long SUPERBLOCK_MAGIC = Structs.offset(SUPERBLOCK, "magic");
  private static final long SUPERBLOCK_VERSION = Structs.offset(SUPERBLOCK, "version");
  private static final long SUPERBLOCK_FLAGS = Structs.offset(SUPERBLOCK, "flags");
  private static final long SUPERBLOCK_BLOCK_SIZE = Structs.offset(SUPERBLOCK, "block_size");
  private static final long SUPERBLOCK_TOTAL_SIZE = Structs.offset(SUPERBLOCK, "total_size");
  private static final long SUPERBLOCK_BASE_OFFSET = Structs.offset(SUPERBLOCK, "base_offset");
  private static final long SUPERBLOCK_BASE_SIZE = Structs.offset(SUPERBLOCK, "base_size");
  private static final long SUPERBLOCK_BRANCH_TABLE_OFFSET = Structs.offset(SUPERBLOCK, "branch_table_offset");
  private static final long SUPERBLOCK_BRANCH_TABLE_ENTRIES = Structs.offset(SUPERBLOCK, "branch_table_entries");
  private static final long SUPERBLOCK_ACTIVE_BRANCHES = Structs.offset(SUPERBLOCK, "active_branches");
  private static final long SUPERBLOCK_NEXT_BRANCH_ID = Structs.offset(SUPERBLOCK, "next_branch_id");
  private static final long SUPERBLOCK_NEXT_INODE_ID = Structs.offset(SUPERBLOCK, "next_inode_id");
  private static final long SUPERBLOCK_DELTA_REGION_OFFSET = Structs.offset(SUPERBLOCK, "delta_region_offset");
  private static final long SUPERBLOCK_DELTA_REGION_SIZE = Structs.offset(SUPERBLOCK, "delta_region_size");
  private static final long SUPERBLOCK_DELTA_ALLOC_OFFSET = Structs.offset(SUPERBLOCK, "delta_alloc_offset");


  static final String NAME = "superblock";

  /** Decodes the superblock fields; fails only when the image is shorter than them. */
  public static Superblock read(ImageBytes b) {
    b.require(0, SUPERBLOCK.byteSize(), NAME);
    return new Superblock(
        b.u32(SUPERBLOCK_MAGIC, NAME),
        b.u32(SUPERBLOCK_VERSION, NAME),
        b.u32(SUPERBLOCK_FLAGS, NAME),
        b.u32(SUPERBLOCK_BLOCK_SIZE, NAME),
        b.u64(SUPERBLOCK_TOTAL_SIZE, NAME),
        b.u64(SUPERBLOCK_BASE_OFFSET, NAME),
        b.u64(SUPERBLOCK_BASE_SIZE, NAME),
        b.u64(SUPERBLOCK_BRANCH_TABLE_OFFSET, NAME),
        b.u32(SUPERBLOCK_BRANCH_TABLE_ENTRIES, NAME),
        b.u32(SUPERBLOCK_ACTIVE_BRANCHES, NAME),
        b.u64(SUPERBLOCK_NEXT_BRANCH_ID, NAME),
        b.u64(SUPERBLOCK_NEXT_INODE_ID, NAME),
        b.u64(SUPERBLOCK_DELTA_REGION_OFFSET, NAME),
        b.u64(SUPERBLOCK_DELTA_REGION_SIZE, NAME),
        b.u64(SUPERBLOCK_DELTA_ALLOC_OFFSET, NAME));
  }

  /** A branching image has a branch table (and so a delta region); a static one has neither. */
  public boolean isBranching() {
    return branchTableOffset != 0 || branchTableEntries != 0;
  }

  /**
   * This image's superblock as before any mount: no active branches, next_branch_id 1,
   * next_inode_id {@code nextInodeId} (after the base's inodes), nothing allocated in the delta region.
   */
  public Superblock unmounted(long nextInodeId) {
    return withCounters(0, 1, nextInodeId, deltaRegionOffset);
  }

  /** This superblock with the four fields a mounted kernel rewrites (and the image digest leaves out) set. */
  public Superblock withCounters(int activeBranches, long nextBranchId, long nextInodeId, long deltaAllocOffset) {
    return new Superblock(magic, version, flags, blockSize, totalSize, baseOffset, baseSize, branchTableOffset,
        branchTableEntries, activeBranches, nextBranchId, nextInodeId, deltaRegionOffset, deltaRegionSize,
        deltaAllocOffset);
  }

  /** The 4096-byte block as written: fields, then zeros. */
  public byte[] encode() {
    byte[] out = new byte[Format.SUPERBLOCK_SIZE];
    var s = java.lang.foreign.MemorySegment.ofArray(out);
    Encoding.putU32(s, SUPERBLOCK_MAGIC, magic);
    Encoding.putU32(s, SUPERBLOCK_VERSION, version);
    Encoding.putU32(s, SUPERBLOCK_FLAGS, flags);
    Encoding.putU32(s, SUPERBLOCK_BLOCK_SIZE, blockSize);
    Encoding.putU64(s, SUPERBLOCK_TOTAL_SIZE, totalSize);
    Encoding.putU64(s, SUPERBLOCK_BASE_OFFSET, baseOffset);
    Encoding.putU64(s, SUPERBLOCK_BASE_SIZE, baseSize);
    Encoding.putU64(s, SUPERBLOCK_BRANCH_TABLE_OFFSET, branchTableOffset);
    Encoding.putU32(s, SUPERBLOCK_BRANCH_TABLE_ENTRIES, branchTableEntries);
    Encoding.putU32(s, SUPERBLOCK_ACTIVE_BRANCHES, activeBranches);
    Encoding.putU64(s, SUPERBLOCK_NEXT_BRANCH_ID, nextBranchId);
    Encoding.putU64(s, SUPERBLOCK_NEXT_INODE_ID, nextInodeId);
    Encoding.putU64(s, SUPERBLOCK_DELTA_REGION_OFFSET, deltaRegionOffset);
    Encoding.putU64(s, SUPERBLOCK_DELTA_REGION_SIZE, deltaRegionSize);
    Encoding.putU64(s, SUPERBLOCK_DELTA_ALLOC_OFFSET, deltaAllocOffset);
    return out;
  }
}
