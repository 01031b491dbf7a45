package dev.daxfs.fuzz;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;
import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Inode;
import dev.daxfs.format.RegionGap;
import dev.daxfs.format.Superblock;
import java.util.List;

/**
 * Edits of bytes the sheet fixes but no reader reads (rules 54-61): one non-zero byte in the
 * superblock's or the base superblock's tail, an inode's or a non-free branch record's reserved
 * bytes, a FREE record, a byte in no region; the branch counters of a static image; an empty
 * directory's data_offset.
 * Random byte edits land there seldom or, for a FREE record past the first 32 slots, never.
 */
final class SheetEdits {
  private SheetEdits() {}

  static void apply(byte[] b, Choices c) {
    try {
      Image image = Image.open(ImageBytes.of(b));
      byte v = (byte) (1 + c.pick(255));
      switch (c.pick(7)) {
        case 0 -> put(b, SUPERBLOCK.byteSize() + c.pick((int) (Format.SUPERBLOCK_SIZE - SUPERBLOCK.byteSize())), v);
        case 1 -> {
          if (image.superblock().branchTableEntries() == 0) {
            Images.putU32(b, offset(SUPERBLOCK, c.chance(50) ? "active_branches" : "next_branch_id"), 1 + c.pick(3));
          }
        }
        case 2 -> put(b, image.superblock().baseOffset() + BASE_SUPERBLOCK.byteSize()
            + c.pick((int) (Format.BASE_SUPERBLOCK_SIZE - BASE_SUPERBLOCK.byteSize())), v);
        case 3 -> inode(b, image.base(), c, v);
        case 4 -> gap(b, image.superblock(), c, v);
        default -> record(b, image, c, v);
      }
    } catch (FormatException e) {
      // Not readable after the earlier edits: nothing to aim at.
    }
  }

  /**
   * A byte in no region (rule 61). Images as written have none, so a branching image first gets
   * one: its delta region starts a block later (and delta_alloc_offset with it when it pointed at
   * the old start), which leaves the image valid when no log starts in that block.
   */
  private static void gap(byte[] b, Superblock sb, Choices c, byte v) {
    List<RegionGap> gaps = RegionGap.all(sb, b.length);
    if (gaps.isEmpty() && sb.deltaRegionOffset() != 0 && Long.compareUnsigned(sb.deltaRegionSize(), Format.BLOCK_SIZE) > 0) {
      long delta = sb.deltaRegionOffset();
      Images.putU64(b, offset(SUPERBLOCK, "delta_region_offset"), delta + Format.BLOCK_SIZE);
      Images.putU64(b, offset(SUPERBLOCK, "delta_region_size"), sb.deltaRegionSize() - Format.BLOCK_SIZE);
      if (sb.deltaAllocOffset() == delta) {
        Images.putU64(b, offset(SUPERBLOCK, "delta_alloc_offset"), delta + Format.BLOCK_SIZE);
      }
      gaps = List.of(new RegionGap(delta, delta + Format.BLOCK_SIZE));
    }
    if (!gaps.isEmpty()) {
      RegionGap g = gaps.get(c.pick(gaps.size()));
      put(b, g.start() + c.pick((int) Math.min(g.length(), Integer.MAX_VALUE)), v);
    }
  }

  private static void inode(byte[] b, BaseImage base, Choices c, byte v) {
    long count = base.inodeCount();
    if (count == 0) {
      return;
    }
    long ino = 1 + c.pick((int) Math.min(count, Integer.MAX_VALUE));
    Inode inode = base.inode(ino);
    if (inode.isDirectory() && inode.size() == 0 && c.chance(50)) {
      Images.putU64(b, base.inodeAt(ino) + offset(INODE, "data_offset"), Format.BLOCK_SIZE * (1L + c.pick(4)));
    } else {
      long reserved = offset(INODE, "reserved");
      put(b, base.inodeAt(ino) + reserved + c.pick((int) (INODE.byteSize() - reserved)), v);
    }
  }

  private static void record(byte[] b, Image image, Choices c, byte v) {
    List<BranchRecord> records = image.branchTable().records();
    if (records.isEmpty()) {
      return;
    }
    // Half the time a used record, when there is one: most of the 256 slots are FREE.
    List<BranchRecord> used = records.stream().filter(x -> x.state() != Format.BRANCH_FREE).toList();
    List<BranchRecord> from = used.isEmpty() || c.chance(50) ? records : used;
    BranchRecord r = from.get(c.pick(from.size()));
    long reserved = offset(BRANCH_RECORD, "reserved");
    // A FREE record anywhere in it (its state stays 0); a used one in its reserved bytes.
    long at = r.state() == Format.BRANCH_FREE
        ? r.at() + (c.chance(50) ? c.pick(40) : 44 + c.pick((int) (BRANCH_RECORD.byteSize() - 44)))
        : r.at() + reserved + c.pick((int) (BRANCH_RECORD.byteSize() - reserved));
    put(b, at, v);
  }

  private static void put(byte[] b, long at, byte v) {
    if (at >= 0 && at < b.length) {
      b[(int) at] = v;
    }
  }
}
