package dev.daxfs.format;

import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

import java.nio.charset.StandardCharsets;

/**
 * What the image digest covers, in order: {@code header} (a domain-separation prefix, the
 * superblock fields that nothing changes after the image is built and the rest of the superblock
 * block after the fields), then the base image region as {@link BlockRecords}.
 * FORMAT.md, "Image digest", is the definition; this is its only implementation.
 *
 * @param image the image the base region is read from (and its holes skipped)
 * @param baseOffset absolute offset of the base region, for naming where bytes differ
 * @param baseSize its length
 */
public record DigestedBytes(byte[] header, ImageBytes image, long baseOffset, long baseSize) {

  /**
   * Separates this digest from any other SHA-256 over the same bytes; "-2" since the base region
   * is hashed as block records: no digest of the first definition (every base byte) can be taken
   * for one of these.
   */
  static final byte[] PREFIX = "DAXFS-v3-image-digest-2\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * The superblock fields in the header, in order. Left out, because the kernel rewrites them
   * while the image is mounted: active_branches, next_branch_id, next_inode_id, delta_alloc_offset.
   */
  static final String[] FIXED_FIELDS = {
      "magic", "version", "flags", "block_size", "total_size", "base_offset", "base_size",
      "branch_table_offset", "branch_table_entries", "delta_region_offset", "delta_region_size"};

  private static final String IMAGE = "image";

  public DigestedBytes {
    header = header.clone();
  }

  @Override public byte[] header() { return header.clone(); }

  /**
   * Selects the digested bytes of a v3 image. FormatException when the image is not v3, is
   * shorter than its total_size (truncated), its base region does not lie after the superblock and
   * inside total_size, or a byte in no region ({@link RegionGap}) is not zero: those bytes are
   * left out of the hash, so only their being zero keeps them from changing under a signature.
   */
  public static DigestedBytes of(Image image) {
    image.requireV3();
    Superblock sb = image.superblock();
    ImageBytes bytes = image.bytes();
    if (Long.compareUnsigned(bytes.size(), sb.totalSize()) < 0) {
      throw new FormatException(IMAGE, bytes.size(), "truncated: total_size is "
          + Long.toUnsignedString(sb.totalSize()) + " bytes but only " + bytes.size() + " are present");
    }
    long baseOffset = sb.baseOffset();
    long baseSize = sb.baseSize();
    if (baseOffset == 0) {
      throw new FormatException(Superblock.NAME, offset(SUPERBLOCK, "base_offset"),
          "the image has no base image (base_offset 0), so it has no digest");
    }
    if (Long.compareUnsigned(baseOffset, Format.SUPERBLOCK_SIZE) < 0
        || Long.compareUnsigned(baseSize, sb.totalSize()) > 0
        || Long.compareUnsigned(baseOffset, sb.totalSize() - baseSize) > 0) {
      throw new FormatException(Superblock.NAME, offset(SUPERBLOCK, "base_offset"),
          "base image [" + Long.toUnsignedString(baseOffset) + ", +" + Long.toUnsignedString(baseSize)
              + ") does not lie between the superblock and total_size " + Long.toUnsignedString(sb.totalSize()));
    }
    long stray = RegionGap.firstNonZero(sb, bytes);
    if (stray >= 0) {
      throw new FormatException(IMAGE, stray, String.format("byte 0x%02x lies in no region (base, branch table,"
          + " delta region) and is not zero, as the digest requires", bytes.u8(stray, IMAGE)));
    }
    byte[] tail = bytes.bytes(SUPERBLOCK.byteSize(), TAIL, Superblock.NAME);
    bytes.require(baseOffset, baseSize, "base image");
    return new DigestedBytes(header(sb, tail), bytes, baseOffset, baseSize);
  }

  /** The base region's records, in order (the block index counts from base_offset). */
  public void records(BlockRecords.Visitor visitor) {
    BlockRecords.walk(image, baseOffset, baseSize, visitor);
  }

  /** Bytes of the superblock block after its fields: covered, so no byte there changes unnoticed. */
  static final int TAIL = Math.toIntExact(Format.SUPERBLOCK_SIZE - SUPERBLOCK.byteSize());

  /**
   * PREFIX, then each fixed field little-endian at its own width (4 or 8 bytes), then the
   * superblock block's {@link #TAIL} bytes after the fields.
   */
  static byte[] header(Superblock sb, byte[] tail) {
    if (tail.length != TAIL) {
      throw new IllegalArgumentException("a superblock tail has " + TAIL + " bytes, not " + tail.length);
    }
    byte[] encoded = sb.encode();
    int length = PREFIX.length + TAIL;
    for (String field : FIXED_FIELDS) {
      length += (int) width(field);
    }
    byte[] out = new byte[length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    int at = PREFIX.length;
    for (String field : FIXED_FIELDS) {
      int w = (int) width(field);
      System.arraycopy(encoded, (int) offset(SUPERBLOCK, field), out, at, w);
      at += w;
    }
    System.arraycopy(tail, 0, out, at, TAIL);
    return out;
  }

  private static long width(String field) {
    return SUPERBLOCK.select(java.lang.foreign.MemoryLayout.PathElement.groupElement(field)).byteSize();
  }
}
