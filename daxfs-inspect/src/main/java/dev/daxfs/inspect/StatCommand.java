package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stat", description = "One node of a branch view, with where each run of a file's bytes comes from.")
final class StatCommand extends ImageCommand {
  @Parameters(paramLabel = "PATH", description = "A path in the view (symlinks are not followed).")
  String path;

  @Override int run(Target t, PrintWriter out) {
    BranchView view = t.view(t.branch(branch()));
    ViewNode n = Target.node(view, path);
    long baseStart = t.image.superblock().baseOffset();
    long baseEnd = baseStart + t.image.superblock().baseSize();
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Extent e : view.extents(n)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("offset", e.offset());
      m.put("length", e.length());
      m.put("from", e.isZeros() ? "zeros" : e.source() >= baseStart && e.source() < baseEnd ? "base" : "log");
      m.put("at", e.isZeros() ? null : e.source());
      runs.add(m);
    }
    if (json) {
      result.putAll(Stats.json(view, n, path));
      if (n.isRegular()) {
        result.put("extents", runs);
      }
      return OK;
    }
    out.printf("  File: %s%s%n", path, n.isSymlink() ? " -> " + Names.text(n.target()) : "");
    out.printf("  Size: %-12d Type: %s%n", n.size(), Modes.type(n.mode()));
    out.printf("  Mode: (%s/%s)  Uid: %s  Gid: %s%n", Modes.octal(n.mode()), Modes.string(n.mode()),
        Integer.toUnsignedString(n.uid()), Integer.toUnsignedString(n.gid()));
    out.printf(" Inode: %-12s Links: %d%n", Long.toUnsignedString(n.ino()), Stats.nlink(view, n));
    for (Map<String, Object> r : runs) {
      out.printf("  Data: [%d, %d) %s%n", (long) r.get("offset"), (long) r.get("offset") + (long) r.get("length"),
          r.get("at") == null ? "zeros" : r.get("from") + " @" + r.get("at"));
    }
    return OK;
  }
}
