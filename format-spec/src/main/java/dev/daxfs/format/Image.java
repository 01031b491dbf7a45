package dev.daxfs.format;

/**
 * A DAXFS v3 image in memory: its superblock and, on demand, the base image, branch table and
 * delta logs. Opening checks only that the superblock fields can be read; everything else is
 * checked when it is reached, so hostile images still decode as far as they safely can.
 */
public final class Image {
  private final ImageBytes bytes;
  private final Superblock superblock;

  private Image(ImageBytes bytes, Superblock superblock) {
    this.bytes = bytes;
    this.superblock = superblock;
  }

  public static Image open(ImageBytes bytes) {
    return new Image(bytes, Superblock.read(bytes));
  }

  public ImageBytes bytes() { return bytes; }

  public Superblock superblock() { return superblock; }

  /** Magic and version as the kernel checks them before anything else. */
  public void requireV3() {
    if (superblock.magic() != Format.IMAGE_MAGIC) {
      throw new FormatException(Superblock.NAME, Structs.offset(Structs.SUPERBLOCK, "magic"),
          String.format("magic 0x%08x, expected 0x%08x", superblock.magic(), Format.IMAGE_MAGIC));
    }
    if (superblock.version() != Format.VERSION) {
      throw new FormatException(Superblock.NAME, Structs.offset(Structs.SUPERBLOCK, "version"),
          "version " + Integer.toUnsignedString(superblock.version()) + ", expected " + Format.VERSION);
    }
  }

  public BaseImage base() {
    if (superblock.baseOffset() == 0) {
      throw new FormatException(Superblock.NAME, Structs.offset(Structs.SUPERBLOCK, "base_offset"),
          "the image has no base image (base_offset 0)");
    }
    requireRegion(superblock.baseOffset(), superblock.baseSize(), "base_offset", "base_size", "base image");
    return BaseImage.read(bytes, superblock.baseOffset(), superblock.baseSize());
  }

  /** The branch table; empty for a static image. */
  public BranchTable branchTable() {
    if (!superblock.isBranching()) {
      return new BranchTable(0, java.util.List.of());
    }
    long entries = Integer.toUnsignedLong(superblock.branchTableEntries());
    requireRegion(superblock.branchTableOffset(), Math.min(entries, Format.MAX_BRANCHES) * Format.BRANCH_RECORD_SIZE,
        "branch_table_offset", "branch_table_entries", "branch table");
    return BranchTable.read(bytes, superblock.branchTableOffset(), entries);
  }

  /**
   * A branch's log: its used bytes must lie inside the image (else a FormatException at the
   * record's delta_log_offset field); entries may reach up to its capacity, as in the kernel.
   */
  public DeltaLog deltaLog(BranchRecord branch) {
    if (!bytes.contains(branch.logOffset(), branch.logSize())) {
      throw new FormatException(BranchRecord.NAME + " " + branch.slot(),
          branch.at() + Structs.offset(Structs.BRANCH_RECORD, "delta_log_offset"),
          "log of " + Long.toUnsignedString(branch.logSize()) + " bytes at " + Long.toUnsignedString(branch.logOffset())
              + " lies outside the " + bytes.size() + "-byte image");
    }
    return new DeltaLog(bytes, branch.logOffset(), branch.logSize(), branch.logCapacity());
  }

  /** A region named by two superblock fields must lie inside the image; the error names the offset field. */
  private void requireRegion(long offset, long length, String offsetField, String lengthField, String what) {
    if (!bytes.contains(offset, length)) {
      throw new FormatException(Superblock.NAME, Structs.offset(Structs.SUPERBLOCK, offsetField),
          what + " at " + Long.toUnsignedString(offset) + " (" + offsetField + ") with " + lengthField + " "
              + Long.toUnsignedString(length) + " bytes lies outside the " + bytes.size() + "-byte image");
    }
  }
}
