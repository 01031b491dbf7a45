package dev.daxfs.format;

import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

/** The image superblock at offset 0, field by field as stored (u64 fields may be "negative"). */
public record Superblock(
    int magic, int version, int flags, int blockSize,
    long totalSize, long baseOffset, long baseSize,
    long branchTableOffset, int branchTableEntries, int activeBranches,
    long nextBranchId, long nextInodeId,
    long deltaRegionOffset, long deltaRegionSize, long deltaAllocOffset) {

  static final String NAME = "superblock";

  /** Decodes the superblock fields; fails only when the image is shorter than them. */
  public static Superblock read(ImageBytes b) {
    b.require(0, SUPERBLOCK.byteSize(), NAME);
    return new Superblock(
        b.u32(offset(SUPERBLOCK, "magic"), NAME),
        b.u32(offset(SUPERBLOCK, "version"), NAME),
        b.u32(offset(SUPERBLOCK, "flags"), NAME),
        b.u32(offset(SUPERBLOCK, "block_size"), NAME),
        b.u64(offset(SUPERBLOCK, "total_size"), NAME),
        b.u64(offset(SUPERBLOCK, "base_offset"), NAME),
        b.u64(offset(SUPERBLOCK, "base_size"), NAME),
        b.u64(offset(SUPERBLOCK, "branch_table_offset"), NAME),
        b.u32(offset(SUPERBLOCK, "branch_table_entries"), NAME),
        b.u32(offset(SUPERBLOCK, "active_branches"), NAME),
        b.u64(offset(SUPERBLOCK, "next_branch_id"), NAME),
        b.u64(offset(SUPERBLOCK, "next_inode_id"), NAME),
        b.u64(offset(SUPERBLOCK, "delta_region_offset"), NAME),
        b.u64(offset(SUPERBLOCK, "delta_region_size"), NAME),
        b.u64(offset(SUPERBLOCK, "delta_alloc_offset"), NAME));
  }

  /** A branching image has a branch table (and so a delta region); a static one has neither. */
  public boolean isBranching() {
    return branchTableOffset != 0 || branchTableEntries != 0;
  }

  /** The 4096-byte block as written: fields, then zeros. */
  public byte[] encode() {
    byte[] out = new byte[Format.SUPERBLOCK_SIZE];
    var s = java.lang.foreign.MemorySegment.ofArray(out);
    Encoding.putU32(s, offset(SUPERBLOCK, "magic"), magic);
    Encoding.putU32(s, offset(SUPERBLOCK, "version"), version);
    Encoding.putU32(s, offset(SUPERBLOCK, "flags"), flags);
    Encoding.putU32(s, offset(SUPERBLOCK, "block_size"), blockSize);
    Encoding.putU64(s, offset(SUPERBLOCK, "total_size"), totalSize);
    Encoding.putU64(s, offset(SUPERBLOCK, "base_offset"), baseOffset);
    Encoding.putU64(s, offset(SUPERBLOCK, "base_size"), baseSize);
    Encoding.putU64(s, offset(SUPERBLOCK, "branch_table_offset"), branchTableOffset);
    Encoding.putU32(s, offset(SUPERBLOCK, "branch_table_entries"), branchTableEntries);
    Encoding.putU32(s, offset(SUPERBLOCK, "active_branches"), activeBranches);
    Encoding.putU64(s, offset(SUPERBLOCK, "next_branch_id"), nextBranchId);
    Encoding.putU64(s, offset(SUPERBLOCK, "next_inode_id"), nextInodeId);
    Encoding.putU64(s, offset(SUPERBLOCK, "delta_region_offset"), deltaRegionOffset);
    Encoding.putU64(s, offset(SUPERBLOCK, "delta_region_size"), deltaRegionSize);
    Encoding.putU64(s, offset(SUPERBLOCK, "delta_alloc_offset"), deltaAllocOffset);
    return out;
  }
}
