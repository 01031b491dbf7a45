package dev.daxfs.validate;

import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.RegionGap;
import dev.daxfs.format.Superblock;

/**
 * Rules 1-8, 54, 55 and 61 (the superblock on its own, and the bytes its regions leave out, which
 * the checker asks for last); rule 8's "past every log" part is the branch table's.
 */
final class SuperblockCheck {
  private static final String WHAT = "superblock";

  /** What later checks may rely on. */
  /** {@code tableAlone}: the branch table overlaps no other region, so its bytes are its own. */
  record Regions(boolean baseReadable, boolean branching, boolean tableAlone) {}

  private SuperblockCheck() {}

  private static long at(String field) { return offset(SUPERBLOCK, field); }

  static String u(long v) { return Long.toUnsignedString(v); }

  /** Returns null when the image is not v3 at all (nothing else can be read). */
  static Regions check(Superblock sb, ImageBytes bytes, long expectedSize, long limit, Problems p) {
    if (sb.magic() != Format.IMAGE_MAGIC) {
      p.add(Rule.IMAGE_MAGIC, WHAT, at("magic"), String.format("0x%08x", Format.IMAGE_MAGIC),
          String.format("0x%08x", sb.magic()));
      return null;
    }
    if (sb.version() != Format.VERSION) {
      p.add(Rule.IMAGE_VERSION, WHAT, at("version"), String.valueOf(Format.VERSION),
          Integer.toUnsignedString(sb.version()));
      return null;
    }
    if (sb.flags() != 0) {
      p.add(Rule.IMAGE_FLAGS, WHAT, at("flags"), "flags 0", "flags " + Integer.toUnsignedString(sb.flags()));
    }
    if (sb.blockSize() != Format.BLOCK_SIZE) {
      p.add(Rule.IMAGE_FLAGS, WHAT, at("block_size"), "block_size " + Format.BLOCK_SIZE,
          "block_size " + Integer.toUnsignedString(sb.blockSize()));
    }
    tail(bytes, p);
    if (sb.totalSize() != expectedSize) {
      p.add(Rule.TOTAL_SIZE, WHAT, at("total_size"), "total_size equal to the image size " + expectedSize,
          "total_size " + u(sb.totalSize()));
    }

    Span base = new Span(sb.baseOffset(), sb.baseSize());
    Span table = new Span(sb.branchTableOffset(),
        Integer.toUnsignedLong(sb.branchTableEntries()) * Format.BRANCH_RECORD_SIZE);
    Span delta = new Span(sb.deltaRegionOffset(), sb.deltaRegionSize());
    // The kernel checks a region only when its offset is not 0; so does rule 5.
    boolean baseInside = inside(base, "base region", "base_offset", limit, p);
    boolean tableInside = inside(table, "branch table", "branch_table_offset", limit, p);
    boolean deltaInside = inside(delta, "delta region", "delta_region_offset", limit, p);

    if (sb.baseOffset() == 0) {
      p.add(Rule.REGION_PLACEMENT, WHAT, at("base_offset"), "a base image", "base_offset 0");
    }
    aligned(sb.baseOffset(), "base_offset", p);
    aligned(sb.branchTableOffset(), "branch_table_offset", p);
    aligned(sb.deltaRegionOffset(), "delta_region_offset", p);
    // No separate test against the superblock block: a present region's offset is not 0, and one
    // below 4096 is already reported as unaligned.
    String[] names = {"base region", "branch table", "delta region"};
    String[] fields = {"base_offset", "branch_table_offset", "delta_region_offset"};
    Span[] spans = {base, table, delta};
    // Overlaps only matter between regions that are present and inside the image (rule 5 reports the rest).
    boolean[] present = {sb.baseOffset() != 0 && baseInside, sb.branchTableOffset() != 0 && tableInside,
        sb.deltaRegionOffset() != 0 && deltaInside};
    boolean tableAlone = true;
    for (int i = 0; i < spans.length; i++) {
      if (!present[i]) {
        continue;
      }
      for (int j = i + 1; j < spans.length; j++) {
        if (present[j] && spans[i].overlaps(spans[j])) {
          tableAlone &= i != 1 && j != 1;
          p.add(Rule.REGION_PLACEMENT, WHAT, at(fields[j]), names[j] + " disjoint from the " + names[i] + " "
              + spans[i], names[j] + " " + spans[j]);
        }
      }
    }

    boolean branching = sb.branchTableEntries() != 0;
    if (!branching) {
      if (sb.branchTableOffset() != 0 || sb.deltaRegionOffset() != 0 || sb.deltaRegionSize() != 0
          || sb.deltaAllocOffset() != 0) {
        p.add(Rule.IMAGE_KIND, WHAT, at("branch_table_offset"),
            "a static image (branch_table_entries 0) with no branch table or delta region fields",
            "branch_table_offset " + u(sb.branchTableOffset()) + ", delta_region_offset "
                + u(sb.deltaRegionOffset()) + ", delta_region_size " + u(sb.deltaRegionSize())
                + ", delta_alloc_offset " + u(sb.deltaAllocOffset()));
      }
      if (sb.activeBranches() != 0 || sb.nextBranchId() != 0) {
        p.add(Rule.STATIC_BRANCH_COUNTERS, WHAT, at(sb.activeBranches() != 0 ? "active_branches" : "next_branch_id"),
            "active_branches 0 and next_branch_id 0 in a static image",
            "active_branches " + Integer.toUnsignedString(sb.activeBranches()) + ", next_branch_id "
                + u(sb.nextBranchId()));
      }
      return new Regions(baseInside && sb.baseOffset() != 0, false, false);
    }
    boolean kind = true;
    if (sb.branchTableEntries() != Format.MAX_BRANCHES || sb.branchTableOffset() == 0
        || sb.deltaRegionOffset() == 0 || sb.deltaRegionSize() == 0) {
      kind = false;
      p.add(Rule.IMAGE_KIND, WHAT, at("branch_table_entries"),
          "a branching image: " + Format.MAX_BRANCHES + " entries at a non-zero offset and a non-empty delta region",
          "branch_table_entries " + Integer.toUnsignedString(sb.branchTableEntries()) + " at "
              + u(sb.branchTableOffset()) + ", delta region " + delta);
    }
    if (sb.deltaRegionOffset() != 0 && delta.fits()) {
      if (!new Span(sb.deltaAllocOffset(), 0).inside(delta)) {
        p.add(Rule.DELTA_ALLOC_OFFSET, WHAT, at("delta_alloc_offset"), "an offset inside the delta region " + delta,
            u(sb.deltaAllocOffset()));
      } else if (!new Span(sb.deltaAllocOffset(), Format.KERNEL_LOG_CAPACITY).inside(delta)) {
        // Every mount carves main's log here first; without room the kernel refuses to mount.
        p.add(Rule.DELTA_ALLOC_OFFSET, WHAT, at("delta_alloc_offset"),
            "room for a " + Format.KERNEL_LOG_CAPACITY + "-byte log before the delta region's end " + u(delta.end()),
            u(sb.deltaAllocOffset()));
      }
    }
    return new Regions(baseInside && sb.baseOffset() != 0, kind && tableInside && deltaInside, tableAlone);
  }

  /** Rule 54: the block's bytes after the fields, as far as the image holds them. */
  private static void tail(ImageBytes bytes, Problems p) {
    long from = SUPERBLOCK.byteSize();
    long to = Math.min(Format.SUPERBLOCK_SIZE, bytes.size());
    if (to <= from) {
      return;
    }
    long at = ZeroBytes.firstNonZero(bytes, from, to - from, WHAT);
    if (at >= 0) {
      p.add(Rule.SUPERBLOCK_TAIL, WHAT, at, "zero bytes " + from + ".." + (Format.SUPERBLOCK_SIZE - 1),
          ZeroBytes.found(bytes, at, WHAT));
    }
  }

  /** Rule 61: the first non-zero byte of each run of bytes in no region, as far as the image holds them. */
  static void gaps(Superblock sb, ImageBytes bytes, long limit, Problems p) {
    for (RegionGap g : RegionGap.all(sb, limit)) {
      long at = bytes.firstNonZero(g.start(), g.length(), "bytes in no region");
      if (at >= 0) {
        p.add(Rule.BYTES_IN_NO_REGION, "bytes in no region", at, "zero bytes " + g
            + " (in no region: not base, branch table or delta region)", ZeroBytes.found(bytes, at, WHAT));
      }
    }
  }

  private static boolean inside(Span s, String name, String field, long limit, Problems p) {
    if (s.start() == 0 || s.inside(limit)) {
      return true;
    }
    p.add(Rule.REGIONS_INSIDE, WHAT, at(field), name + " inside the " + limit + "-byte image", name + " " + s);
    return false;
  }

  private static void aligned(long offset, String field, Problems p) {
    if (offset % Format.BLOCK_SIZE != 0) {
      p.add(Rule.REGION_PLACEMENT, WHAT, at(field), field + " on a " + Format.BLOCK_SIZE + "-byte boundary",
          u(offset));
    }
  }
}
