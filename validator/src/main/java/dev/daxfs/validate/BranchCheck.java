package dev.daxfs.validate;

import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;
import static dev.daxfs.validate.SuperblockCheck.u;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchTable;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Superblock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules 34-42, 59, 60 and the "past every log" half of rule 8: the branch table on its own. A parent_id
 * means the nearest earlier non-free slot with that id, as the replay resolves it: the kernel
 * never frees a slot, so a parent always sits before its children, and no cycle can form.
 */
final class BranchCheck {
  private static final String WHAT = "branch record";
  private static final long RESERVED_SIZE = BRANCH_RECORD.byteSize() - offset(BRANCH_RECORD, "reserved");

  private final BranchTable table;
  private final Superblock sb;
  private final ImageBytes bytes;   // null: the table overlaps another region, its zero bytes are not checked
  private final Problems p;
  private final boolean[] logUsable;
  private final int[] parentSlot;   // -1: no parent (or none found)

  private BranchCheck(BranchTable table, Superblock sb, ImageBytes bytes, Problems p) {
    this.table = table;
    this.sb = sb;
    this.bytes = bytes;
    this.p = p;
    this.logUsable = new boolean[table.records().size()];
    this.parentSlot = new int[table.records().size()];
  }

  /** The result: which records' logs may be decoded, and each record's parent slot. */
  record Result(BranchTable table, boolean[] logUsable, int[] parentSlot) {
    List<BranchRecord> records() { return table.records(); }
  }

  static Result check(BranchTable table, Superblock sb, ImageBytes bytes, Problems p) {
    BranchCheck c = new BranchCheck(table, sb, bytes, p);
    c.run();
    return new Result(table, c.logUsable, c.parentSlot);
  }

  private static long field(BranchRecord r, String name) { return r.at() + offset(BRANCH_RECORD, name); }

  private void run() {
    Span region = new Span(sb.deltaRegionOffset(), sb.deltaRegionSize());
    List<BranchRecord> used = new ArrayList<>();
    for (BranchRecord r : table.records()) {
      parentSlot[r.slot()] = -1;
      if (Integer.compareUnsigned(r.state(), Format.BRANCH_ABORTED) > 0) {
        p.add(Rule.BRANCH_STATE, WHAT, field(r, "state"), "state 0..3 (free, active, committed, aborted)",
            "state " + Integer.toUnsignedString(r.state()) + " in slot " + r.slot());
        continue;
      }
      if (r.state() == Format.BRANCH_FREE) {
        long at = bytes == null ? -1 : ZeroBytes.firstNonZero(bytes, r.at(), BRANCH_RECORD.byteSize(), WHAT);
        if (at >= 0) {
          p.add(Rule.FREE_RECORD, WHAT, at, "an all-zero record in free slot " + r.slot(),
              ZeroBytes.found(bytes, at, WHAT) + " at byte " + (at - r.at()));
        }
        continue;
      }
      long reserved = bytes == null ? -1 : ZeroBytes.firstNonZero(bytes, field(r, "reserved"), RESERVED_SIZE, WHAT);
      if (reserved >= 0) {
        p.add(Rule.BRANCH_RESERVED, WHAT, reserved, "zero reserved bytes in slot " + r.slot(),
            ZeroBytes.found(bytes, reserved, WHAT));
      }
      if (!r.nameTerminated()) {
        p.add(Rule.BRANCH_NAME, WHAT, field(r, "name"), "a NUL-terminated name", "32 bytes without NUL in slot "
            + r.slot());
      }
      Span log = new Span(r.logOffset(), r.logCapacity());
      if (!log.inside(region) || Long.compareUnsigned(r.logSize(), r.logCapacity()) > 0) {
        p.add(Rule.BRANCH_LOG_INSIDE, WHAT, field(r, "delta_log_offset"),
            "a log inside the delta region " + region + " with size <= capacity",
            "log " + log + " holding " + u(r.logSize()) + " bytes in slot " + r.slot());
      } else {
        logUsable[r.slot()] = true;
        used.add(r);
        if (Long.compareUnsigned(sb.deltaAllocOffset(), log.end()) < 0) {
          p.add(Rule.DELTA_ALLOC_OFFSET, "superblock", offset(SUPERBLOCK, "delta_alloc_offset"),
              "an offset at or past the end of slot " + r.slot() + "'s log " + log, u(sb.deltaAllocOffset()));
        }
      }
    }
    overlaps(used);
    parents();
    bookkeeping();
  }

  private void overlaps(List<BranchRecord> used) {
    // At most 256 logs: pairwise is cheap.
    for (int i = 0; i < used.size(); i++) {
      BranchRecord a = used.get(i);
      for (int j = i + 1; j < used.size(); j++) {
        BranchRecord b = used.get(j);
        Span sa = new Span(a.logOffset(), a.logCapacity());
        Span sb2 = new Span(b.logOffset(), b.logCapacity());
        if (sa.overlaps(sb2)) {
          p.add(Rule.BRANCH_LOG_OVERLAP, WHAT, field(b, "delta_log_offset"),
              "a log disjoint from slot " + a.slot() + "'s log " + sa, "slot " + b.slot() + "'s log " + sb2);
          logUsable[b.slot()] = false;
        }
      }
    }
  }

  private void parents() {
    List<BranchRecord> records = table.records();
    for (BranchRecord r : records) {
      if (!known(r) || r.parentId() == 0) {
        continue;
      }
      for (int s = r.slot() - 1; s >= 0; s--) {
        BranchRecord q = records.get(s);
        if (known(q) && q.branchId() == r.parentId()) {
          parentSlot[r.slot()] = s;
          break;
        }
      }
      if (r.state() == Format.BRANCH_ACTIVE && (r.parentId() == r.branchId() || parentSlot[r.slot()] < 0)) {
        p.add(Rule.BRANCH_PARENT, WHAT, field(r, "parent_id"),
            "parent_id 0 or the id of a branch in an earlier slot (not its own)",
            "parent_id " + u(r.parentId()) + " in slot " + r.slot() + " (id " + u(r.branchId()) + ")");
      }
    }
  }

  private void bookkeeping() {
    List<BranchRecord> records = table.records();
    Map<Long, BranchRecord> ids = new HashMap<>();
    Map<String, BranchRecord> names = new HashMap<>();
    int[] activeChildren = new int[records.size()];
    long active = 0;
    long maxId = 0;
    for (BranchRecord r : records) {
      if (!known(r)) {
        continue;
      }
      if (Long.compareUnsigned(r.branchId(), maxId) > 0) {
        maxId = r.branchId();
      }
      if (r.state() != Format.BRANCH_ACTIVE) {
        continue;
      }
      active++;
      if (parentSlot[r.slot()] >= 0) {
        activeChildren[parentSlot[r.slot()]]++;
      }
      BranchRecord sameId = ids.putIfAbsent(r.branchId(), r);
      BranchRecord sameName = names.putIfAbsent(r.name(), r);
      if (sameId != null || sameName != null) {
        BranchRecord other = sameId != null ? sameId : sameName;
        p.add(Rule.BRANCH_DUPLICATE, WHAT, r.at(), "an id and a name no other ACTIVE branch has",
            "slot " + r.slot() + " (id " + u(r.branchId()) + ", '" + r.name() + "') like slot " + other.slot());
      }
    }
    for (BranchRecord r : records) {
      if (known(r) && r.state() == Format.BRANCH_ACTIVE
          && Integer.toUnsignedLong(r.refcount()) != 1L + activeChildren[r.slot()]) {
        p.add(Rule.BRANCH_REFCOUNT, WHAT, field(r, "refcount"),
            "refcount " + (1 + activeChildren[r.slot()]) + " (1 + active children)",
            "refcount " + Integer.toUnsignedString(r.refcount()) + " in slot " + r.slot());
      }
    }
    if (Integer.toUnsignedLong(sb.activeBranches()) != active) {
      p.add(Rule.ACTIVE_BRANCHES, "superblock", offset(SUPERBLOCK, "active_branches"),
          active + " (ACTIVE records)", Integer.toUnsignedString(sb.activeBranches()));
    }
    if (Long.compareUnsigned(sb.nextBranchId(), maxId) <= 0) {
      p.add(Rule.NEXT_BRANCH_ID, "superblock", offset(SUPERBLOCK, "next_branch_id"),
          "more than the largest branch id " + u(maxId), u(sb.nextBranchId()));
    }
  }

  /** Not free, and in a state this tool knows. */
  private static boolean known(BranchRecord r) {
    return r.state() != Format.BRANCH_FREE && Integer.compareUnsigned(r.state(), Format.BRANCH_ABORTED) <= 0;
  }
}
