package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.Replay;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "list",
    description = "One row per branch record in use; with -b, only that branch's chain (root first).")
final class ListCommand extends ImageCommand {
  private static final String ROW = "%-4s  %-4s  %-20s  %-10s  %-10s  %-8s  %-12s  %s%n";

  @Override int run(Target t, PrintWriter out) {
    List<BranchRecord> rows = new ArrayList<>();
    if (branches.isEmpty()) {
      t.branches().stream().filter(b -> b.state() != Format.BRANCH_FREE).forEach(rows::add);
    } else {
      BranchRecord b = t.branch(branch());
      if (b != null) {
        rows.addAll(Replay.chain(t.table(), b, t.problems));
      }
    }
    int slots = t.branches().size();
    long used = t.branches().stream().filter(b -> b.state() != Format.BRANCH_FREE).count();
    if (json) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (BranchRecord b : rows) {
        Map<String, Object> m = InfoCommand.summary(b);
        BranchRecord p = t.parent(b);
        m.put("parent", p == null ? null : Target.label(p));
        list.add(m);
      }
      result.put("branches", list);
      result.put("slots", slots);
      result.put("used_slots", used);
      return OK;
    }
    out.printf(ROW, "SLOT", "ID", "NAME", "STATE", "PARENT", "REFCNT", "DELTA_USED", "DELTA_CAP");
    out.printf(ROW, "----", "----", "-".repeat(20), "-".repeat(10), "-".repeat(10), "-".repeat(8), "-".repeat(12),
        "-".repeat(12));
    for (BranchRecord b : rows) {
      BranchRecord p = t.parent(b);
      String parent = b.parentId() == 0 ? "-" : p == null ? "id:" + Long.toUnsignedString(b.parentId())
          : Target.label(p);
      out.printf(ROW, b.slot(), Long.toUnsignedString(b.branchId()), b.name().isEmpty() ? "-" : b.name(),
          b.stateName(), parent, Integer.toUnsignedString(b.refcount()), Long.toUnsignedString(b.logSize()),
          Long.toUnsignedString(b.logCapacity()));
    }
    out.printf("%nTotal: %d branches, %d slots available%n", used, slots - used);
    return OK;
  }
}
