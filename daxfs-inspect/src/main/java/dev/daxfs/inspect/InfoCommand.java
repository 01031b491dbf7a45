package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaEntry;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "info", description = "One branch: its record and its delta entries counted by type.")
final class InfoCommand extends ImageCommand {

  @Override int run(Target t, PrintWriter out) {
    BranchRecord b = t.branch(branch());
    if (b == null) {
      throw new UsageException("the image has no branch 'main' (static or never mounted); name one with -b");
    }
    if (json) {
      result.putAll(summary(b));
      BranchRecord parent = t.parent(b);
      result.put("parent", parent == null ? null : Target.label(parent));
      result.put("entries", counts(t, b));
      return OK;
    }
    printRecord(t, b, out);
    return OK;
  }

  static Map<String, Object> summary(BranchRecord b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("slot", b.slot());
    m.put("name", b.name());
    m.put("id", b.branchId());
    m.put("parent_id", b.parentId());
    m.put("state", b.stateName());
    m.put("refcount", Integer.toUnsignedLong(b.refcount()));
    m.put("next_local_ino", b.nextLocalIno());
    m.put("log_offset", b.logOffset());
    m.put("log_used", b.logSize());
    m.put("log_capacity", b.logCapacity());
    return m;
  }

  /** Entries of each type in the log, in type order; counting stops at an undecodable entry (marked). */
  static Map<String, Object> counts(Target t, BranchRecord b) {
    long[] n = new long[Format.DELTA_LAST_TYPE + 1];
    try {
      for (DeltaEntry e : t.image.deltaLog(b)) {
        n[e.type()]++;
      }
    } catch (FormatException e) {
      t.problems.add(e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int type = 1; type < n.length; type++) {
      if (n[type] > 0) {
        m.put(Format.deltaTypeName(type), n[type]);
      }
    }
    return m;
  }

  /** The record in upstream daxfs-inspect's layout, with its slot and the SYMLINK count too. */
  static void printRecord(Target t, BranchRecord b, PrintWriter out) {
    out.printf("Branch: %s%n", Target.label(b));
    out.printf("  Slot:            %d%n", b.slot());
    out.printf("  ID:              %s%n", Long.toUnsignedString(b.branchId()));
    out.printf("  State:           %s%n", b.stateName());
    if (b.parentId() == 0) {
      out.println("  Parent:          (none - root branch)");
    } else {
      BranchRecord p = t.parent(b);
      out.printf("  Parent:          %s%n", p == null ? "id:" + Long.toUnsignedString(b.parentId()) + " (not found)"
          : Target.label(p) + " (id:" + Long.toUnsignedString(b.parentId()) + ", slot " + p.slot() + ")");
    }
    out.printf("  Reference count: %s%n", Integer.toUnsignedString(b.refcount()));
    out.printf("  Next inode:      %s%n", Long.toUnsignedString(b.nextLocalIno()));
    out.println("  Delta log:");
    out.printf("    Offset:        0x%x%n", b.logOffset());
    out.printf("    Used:          %s%n", StatusCommand.bytes(b.logSize()));
    out.printf("    Capacity:      %s%n", StatusCommand.bytes(b.logCapacity()));
    out.printf(Locale.ROOT, "    Usage:         %.1f%%%n",
        b.logCapacity() == 0 ? 0.0 : b.logSize() * 100.0 / b.logCapacity());
    Map<String, Object> counts = counts(t, b);
    if (!counts.isEmpty()) {
      out.println("  Delta entries:");
      counts.forEach((type, count) -> out.printf("    %-10s %s%n", type + ":", count));
    }
  }
}
