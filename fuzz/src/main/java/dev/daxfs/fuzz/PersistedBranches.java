package dev.daxfs.fuzz;

import static dev.daxfs.fuzz.Hazard.Kind.BAD_LOG_ENTRY;
import static dev.daxfs.fuzz.Hazard.Kind.OUTSIDE_REGION;
import static dev.daxfs.fuzz.Hazard.Kind.OUT_OF_BOUNDS;
import static dev.daxfs.fuzz.Hazard.Kind.OVERLAPPING_EXTENTS;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The branch records and logs a branching image carries from earlier mounts. The kernel never reads
 * them; our tools do, so the model decodes each log itself and replays every ACTIVE branch's chain
 * (its parent is the latest earlier slot with the parent's id: slots are taken first-free and never
 * freed, and a remount starts another main with id 1).
 */
final class PersistedBranches {
  private PersistedBranches() {}

  record Record(int slot, long id, long parent, long logOffset, long logSize, long capacity, long state, String name) {}

  /** Every ACTIVE branch's view, keyed by label, walked; hazards go to the mount's memory. */
  static Map<String, Snapshot> views(KernelMount m) {
    KernelMemory mem = m.mem;
    List<Record> records = read(m);
    Map<Integer, List<LogEntry>> logs = new TreeMap<>();
    List<Record> used = new ArrayList<>();
    for (Record r : records) {
      if (r.state == 0) {
        continue;
      }
      mem.context("branch record in slot " + r.slot);
      used.add(r);
      logs.put(r.slot, decode(m, r));
    }
    checkLogOverlaps(m, used);
    Map<String, Snapshot> out = new TreeMap<>();
    for (Record r : used) {
      if (r.state != 1) {
        continue;
      }
      String label = "branch '" + r.name + "' (slot " + r.slot + ")";
      mem.context(label);
      List<List<LogEntry>> chain = new ArrayList<>();
      Record cur = r;
      while (cur != null) {
        chain.addFirst(logs.get(cur.slot));
        if (cur.parent == 0) {
          break;
        }
        Record parent = null;
        for (Record p : used) {
          if (p.slot < cur.slot && p.id == cur.parent) {
            parent = p;
          }
        }
        if (parent == null) {
          mem.hazard(BAD_LOG_ENTRY, -1, "the parent id " + Long.toUnsignedString(cur.parent) + " of slot " + cur.slot
              + " is in no earlier slot");
        }
        cur = parent;
      }
      try {
        out.put(label, Traversal.walk(BranchView.replay(m, chain), label));
      } catch (KernelMemory.Oops e) {
        // recorded
      }
    }
    mem.context("");
    return out;
  }

  private static List<Record> read(KernelMount m) {
    KernelMemory mem = m.mem;
    List<Record> out = new ArrayList<>();
    long n = Math.min(m.branchEntries, 256);
    for (int i = 0; i < n; i++) {
      if (i == m.mainSlot) {
        continue;   // the record this mount wrote
      }
      long at = m.branchTableOffset + (long) i * KernelMount.BRANCH_SIZE;
      if (!mem.mapped(at, KernelMount.BRANCH_SIZE)) {
        break;
      }
      byte[] nameField = mem.bytes(at + 56, 32, null, "branch name");
      int len = 0;
      while (len < 32 && nameField[len] != 0) {
        len++;
      }
      out.add(new Record(i, mem.u64(at, null, "branch_id"), mem.u64(at + 8, null, "parent_id"),
          mem.u64(at + 16, null, "delta_log_offset"), mem.u64(at + 24, null, "delta_log_size"),
          mem.u64(at + 32, null, "delta_log_capacity"), mem.u32(at + 40, null, "state"),
          new String(nameField, 0, len, StandardCharsets.ISO_8859_1)));
    }
    return out;
  }

  private static List<LogEntry> decode(KernelMount m, Record r) {
    KernelMemory mem = m.mem;
    if (!m.deltaRegion.contains(r.logOffset, r.capacity)) {
      mem.hazard(OUTSIDE_REGION, r.logOffset, "the log [" + Long.toUnsignedString(r.logOffset) + ", +"
          + Long.toUnsignedString(r.capacity) + ") is not inside " + m.deltaRegion);
    }
    if (Long.compareUnsigned(r.logSize, r.capacity) > 0) {
      mem.hazard(BAD_LOG_ENTRY, r.logOffset, "delta_log_size " + Long.toUnsignedString(r.logSize)
          + " exceeds the capacity " + Long.toUnsignedString(r.capacity));
      return List.of();
    }
    if (!mem.mapped(r.logOffset, r.logSize)) {
      mem.hazard(OUT_OF_BOUNDS, r.logOffset, "the log's used bytes lie outside the mapping");
      return List.of();
    }
    try {
      return LogEntry.decode(mem, r.logOffset, r.logSize, r.capacity,
          new Region("log of slot " + r.slot, r.logOffset, r.capacity));
    } catch (KernelMemory.Oops e) {
      return List.of();
    }
  }

  private static void checkLogOverlaps(KernelMount m, List<Record> used) {
    for (int i = 0; i < used.size(); i++) {
      Record a = used.get(i);
      Region ra = new Region("log of slot " + a.slot, a.logOffset, a.capacity);
      if (m.mainLog >= 0 && ra.overlaps(m.mainLog, KernelMount.LOG_CAPACITY)) {
        m.mem.hazard(OVERLAPPING_EXTENTS, m.mainLog, "the log the mount carves for main overlaps " + ra
            + ": delta_alloc_offset is behind a persisted log");
      }
      for (int j = i + 1; j < used.size(); j++) {
        Record b = used.get(j);
        if (ra.overlaps(b.logOffset, b.capacity)) {
          m.mem.hazard(OVERLAPPING_EXTENTS, b.logOffset, "the log of slot " + b.slot + " overlaps " + ra);
        }
      }
    }
  }
}
