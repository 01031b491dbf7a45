package dev.daxfs.validate;

import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;
import static dev.daxfs.validate.SuperblockCheck.u;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.Superblock;
import java.util.List;

/** Runs the checks in order; each stage reads only what the earlier ones showed to be safe. */
final class Checker {
  private final Image image;
  private final Options options;
  private final Problems p;

  Checker(Image image, Options options, Problems p) {
    this.image = image;
    this.options = options;
    this.p = p;
  }

  void run() {
    long limit = Math.min(options.expectedSize(), image.bytes().size());
    regionsAndContents(limit);
    // Rule 61 last, and only where nothing is wrong: where a region is misplaced or cut short, the
    // bytes it leaves out are that error's, not news.
    if (p.errors() == 0) {
      SuperblockCheck.gaps(image.superblock(), image.bytes(), limit, p);
    }
  }

  private void regionsAndContents(long limit) {
    Superblock sb = image.superblock();
    SuperblockCheck.Regions regions = SuperblockCheck.check(sb, image.bytes(), options.expectedSize(), limit, p);
    if (regions == null) {
      return;
    }
    long baseCount = 0;
    boolean baseValid = false;
    if (regions.baseReadable()) {
      long before = p.errors();
      BaseFacts facts = base(sb);
      if (facts != null) {
        baseCount = facts.count();
        TreeCheck.check(facts, p);
        baseValid = p.errors() == before;
      }
    }
    // The kernel's validation reads no branch record and no log.
    if (options.kernelOnly() || !regions.branching()) {
      return;
    }
    BranchCheck.Result branches = BranchCheck.check(image.branchTable(), sb, regions.tableAlone() ? image.bytes() : null, p);
    List<BranchRecord> records = branches.records();
    long[] maxCreated = new long[records.size()];
    long maxIno = baseCount;
    for (BranchRecord r : records) {
      if (branches.logUsable()[r.slot()]) {
        maxCreated[r.slot()] = LogCheck.check(image, r, p);
        maxIno = maxUnsigned(maxIno, maxCreated[r.slot()]);
      }
    }
    if (Long.compareUnsigned(sb.nextInodeId(), maxIno) <= 0) {
      p.add(Rule.NEXT_INODE_ID, "superblock", offset(SUPERBLOCK, "next_inode_id"),
          "more than every inode number in use (largest " + u(maxIno) + ")", u(sb.nextInodeId()));
    }
    nextLocalIno(branches, maxCreated, baseCount);
    // Replaying over a broken base would only repeat its problems entry by entry.
    if (baseValid) {
      ReplayCheck.check(image, branches, p);
    }
  }

  private BaseFacts base(Superblock sb) {
    BaseImage base;
    try {
      base = image.base();
    } catch (FormatException e) {
      p.add(Rule.BASE_LAYOUT, "base image", e.offset(), "a base region of at least " + Format.BASE_SUPERBLOCK_SIZE
          + " bytes", "base_size " + u(sb.baseSize()));
      return null;
    }
    return BaseCheck.check(base, p);
  }

  /** Rule 43: what each ACTIVE branch would hand out next, against what its view already uses. */
  private void nextLocalIno(BranchCheck.Result branches, long[] maxCreated, long baseCount) {
    for (BranchRecord r : branches.records()) {
      if (r.state() != Format.BRANCH_ACTIVE) {
        continue;
      }
      long used = baseCount;
      for (int s = r.slot(); s >= 0; s = branches.parentSlot()[s]) {
        used = maxUnsigned(used, maxCreated[s]);
      }
      if (Long.compareUnsigned(r.nextLocalIno(), used) <= 0) {
        p.add(Rule.NEXT_LOCAL_INO, "branch record", r.at() + offset(BRANCH_RECORD, "next_local_ino"),
            "more than every inode its view uses (largest " + u(used) + ")",
            u(r.nextLocalIno()) + " in slot " + r.slot() + " ('" + r.name() + "')");
      }
    }
  }

  private static long maxUnsigned(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
