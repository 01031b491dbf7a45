package dev.daxfs.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of bytes of [4096, total_size) that lie in no region: not the base, the branch table or the
 * delta region (a region whose offset is 0 is absent, as the kernel reads it). Nothing reads them
 * and nothing writes them, so FORMAT.md fixes them at zero: the image digest requires it and rule
 * 61 warns. Each region is clipped to [4096, total_size) without overflow, so overlapping, outsized
 * or overflowing regions of a hostile image only narrow the gaps.
 *
 * @param start absolute offset of its first byte
 * @param end absolute offset after its last byte
 */
public record RegionGap(long start, long end) {

  /** The gaps below {@code limit} (total_size, or less when fewer bytes are present), in order. */
  public static List<RegionGap> all(Superblock sb, long limit) {
    long top = Long.compareUnsigned(limit, sb.totalSize()) < 0 ? limit : sb.totalSize();
    long[][] regions = {
        clip(sb.baseOffset(), sb.baseSize(), top),
        clip(sb.branchTableOffset(), Integer.toUnsignedLong(sb.branchTableEntries()) * Format.BRANCH_RECORD_SIZE, top),
        clip(sb.deltaRegionOffset(), sb.deltaRegionSize(), top)};
    java.util.Arrays.sort(regions, (a, b) -> Long.compareUnsigned(a[0], b[0]));
    List<RegionGap> gaps = new ArrayList<>();
    long at = Format.SUPERBLOCK_SIZE;
    for (long[] r : regions) {
      if (Long.compareUnsigned(r[0], r[1]) >= 0) {
        continue;
      }
      if (Long.compareUnsigned(at, r[0]) < 0) {
        gaps.add(new RegionGap(at, r[0]));
      }
      if (Long.compareUnsigned(at, r[1]) < 0) {
        at = r[1];
      }
    }
    if (Long.compareUnsigned(at, top) < 0) {
      gaps.add(new RegionGap(at, top));
    }
    return gaps;
  }

  /** Absolute offset of the first non-zero byte in a gap below the image's end, or -1. */
  public static long firstNonZero(Superblock sb, ImageBytes bytes) {
    for (RegionGap g : all(sb, bytes.size())) {
      long at = bytes.firstNonZero(g.start, g.length(), "bytes in no region");
      if (at >= 0) {
        return at;
      }
    }
    return -1;
  }

  public long length() { return end - start; }

  /**
   * [offset, offset + length) cut to [4096, top) as {start, end}, empty when absent (offset 0) or
   * outside; an end past 2^64 is past top.
   */
  private static long[] clip(long offset, long length, long top) {
    if (offset == 0 || Long.compareUnsigned(offset, top) >= 0) {
      return new long[] {0, 0};
    }
    long start = Long.compareUnsigned(offset, Format.SUPERBLOCK_SIZE) < 0 ? Format.SUPERBLOCK_SIZE : offset;
    long end = Long.compareUnsigned(length, top - offset) > 0 ? top : offset + length;
    return new long[] {start, end};
  }

  @Override public String toString() {
    return "[" + Long.toUnsignedString(start) + ", " + Long.toUnsignedString(end) + ")";
  }
}
