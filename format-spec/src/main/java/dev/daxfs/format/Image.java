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
      throw new FormatException(Superblock.NAME, 0, String.format("magic 0x%08x, expected 0x%08x",
          superblock.magic(), Format.IMAGE_MAGIC));
    }
    if (superblock.version() != Format.VERSION) {
      throw new FormatException(Superblock.NAME, 4, "version " + Integer.toUnsignedString(superblock.version())
          + ", expected " + Format.VERSION);
    }
  }

  public BaseImage base() {
    if (superblock.baseOffset() == 0) {
      throw new FormatException(Superblock.NAME, Structs.offset(Structs.SUPERBLOCK, "base_offset"),
          "the image has no base image (base_offset 0)");
    }
    return BaseImage.read(bytes, superblock.baseOffset(), superblock.baseSize());
  }

  /** The branch table; empty for a static image. */
  public BranchTable branchTable() {
    if (!superblock.isBranching()) {
      return new BranchTable(0, java.util.List.of());
    }
    return BranchTable.read(bytes, superblock.branchTableOffset(),
        Integer.toUnsignedLong(superblock.branchTableEntries()));
  }

  /** The used part of a branch's log. */
  public DeltaLog deltaLog(BranchRecord branch) {
    return new DeltaLog(bytes, branch.logOffset(), branch.logSize());
  }
}
