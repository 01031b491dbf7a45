package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/**
 * Paths added, removed and changed between two branch views, or between a branch and the base.
 * Exits 1 when they differ, as diff(1) does, so that scripts can test it.
 */
@Command(name = "diff", description = "Compare two branch views (-b A -b B), or one branch (-b A, default main)"
    + " with the base: A added, D removed, M changed (what changed in parentheses).",
    exitCodeListHeading = "%nExit codes (as diff):%n",
    exitCodeList = {"0:the views are the same", "1:they differ (or bad usage, or no such branch)",
        "2:the image has problems"})
final class DiffCommand extends ImageCommand {

  @Override int run(Target t, PrintWriter out) throws IOException {
    if (branches.size() > 2) {
      throw new UsageException("diff compares two views: give -b at most twice");
    }
    BranchRecord a = branches.size() == 2 ? t.branch(branches.get(0)) : null;
    BranchRecord b = t.branch(branches.size() == 2 ? branches.get(1) : branch());
    BranchView va = t.view(a);
    BranchView vb = t.view(b);
    List<String[]> changes = changes(va, vb);
    int status = changes.isEmpty() ? OK : DIFFERENT;
    if (json) {
      result.put("from", Target.label(a));
      result.put("to", Target.label(b));
      List<Map<String, Object>> list = new ArrayList<>();
      changes.forEach(c -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("change", switch (c[0]) {
          case "A" -> "added";
          case "D" -> "removed";
          default -> "changed";
        });
        m.put("path", c[2]);
        if (!c[1].isEmpty()) {
          m.put("what", List.of(c[1].split(", ")));
        }
        list.add(m);
      });
      result.put("changes", list);
      return status;
    }
    if (a == null && b == null) {
      // Nothing to name on a static image (or one with no main): the base is compared with itself.
      out.println(t.table() == null || t.table().used().isEmpty()
          ? "no branches (a static image, or none made yet): the base is the only view"
          : "no branch main to compare with the base: give -b BRANCH (see daxfs-inspect list)");
      return OK;
    }
    out.printf("--- %s%n+++ %s%n", Target.label(a), Target.label(b));
    changes.forEach(c -> out.println(c[0] + " " + c[2] + (c[1].isEmpty() ? "" : " (" + c[1] + ")")));
    return status;
  }

  static final int DIFFERENT = 1;

  /**
   * {change, what, path} for each path that differs, walking both trees side by side in name order
   * (parents first): memory grows with the depth and the changes, not with every path of both views.
   * A directory reached twice (a cycle in a broken base) is not entered again.
   */
  private static List<String[]> changes(BranchView va, BranchView vb) throws IOException {
    record Pair(String path, ViewNode x, ViewNode y) {}
    List<String[]> out = new ArrayList<>();
    Set<ViewNode> seenX = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<ViewNode> seenY = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Pair> stack = new ArrayDeque<>();
    stack.push(new Pair("/", va.root(), vb.root()));
    while (!stack.isEmpty()) {
      Pair p = stack.pop();
      if (p.x == null || p.y == null) {
        out.add(new String[] {p.x == null ? "A" : "D", "", p.path});
      } else {
        String what = difference(va, p.x, vb, p.y);
        if (!what.isEmpty()) {
          out.add(new String[] {"M", what, p.path});
        }
      }
      boolean enterX = p.x != null && p.x.isDirectory() && seenX.add(p.x);
      boolean enterY = p.y != null && p.y.isDirectory() && seenY.add(p.y);
      TreeMap<byte[], ViewNode[]> kids = new TreeMap<>(Arrays::compareUnsigned);
      if (enterX) {
        va.entries(p.x).forEach(e -> kids.computeIfAbsent(e.name(), k -> new ViewNode[2])[0] = e.node());
      }
      if (enterY) {
        vb.entries(p.y).forEach(e -> kids.computeIfAbsent(e.name(), k -> new ViewNode[2])[1] = e.node());
      }
      String prefix = p.path.equals("/") ? "/" : p.path + "/";
      for (var e : kids.descendingMap().entrySet()) {
        stack.push(new Pair(prefix + Names.text(e.getKey()), e.getValue()[0], e.getValue()[1]));
      }
    }
    return out;
  }

  /** "type, mode, owner, size, content, target" as far as they differ; "" when equal. */
  private static String difference(BranchView va, ViewNode x, BranchView vb, ViewNode y) throws IOException {
    List<String> d = new ArrayList<>();
    if (!Modes.type(x.mode()).equals(Modes.type(y.mode()))) {
      return "type " + Modes.type(x.mode()) + " -> " + Modes.type(y.mode());
    }
    if ((x.mode() & 07777) != (y.mode() & 07777)) {
      d.add("mode " + Modes.octal(x.mode()) + " -> " + Modes.octal(y.mode()));
    }
    if (x.uid() != y.uid() || x.gid() != y.gid()) {
      d.add("owner " + Integer.toUnsignedString(x.uid()) + ":" + Integer.toUnsignedString(x.gid()) + " -> "
          + Integer.toUnsignedString(y.uid()) + ":" + Integer.toUnsignedString(y.gid()));
    }
    if (x.isRegular()) {
      if (x.size() != y.size()) {
        d.add("size " + x.size() + " -> " + y.size());
      } else if (!sameContent(va, x, vb, y)) {
        d.add("content");
      }
    }
    if (x.isSymlink() && !Arrays.equals(x.target(), y.target())) {
      d.add("target " + Names.text(x.target()) + " -> " + Names.text(y.target()));
    }
    return String.join(", ", d);
  }

  /**
   * Walks both files' extents side by side: two runs of zeros are equal unread, a run of zeros
   * against stored bytes checks those bytes for zero, stored against stored compares them. So the
   * cost is the extents plus the bytes the image stores, never the length of a hole (a file
   * truncated to 2^40 bytes compares at once).
   */
  private static boolean sameContent(BranchView va, ViewNode x, BranchView vb, ViewNode y) {
    List<Extent> ea = va.extents(x);
    List<Extent> eb = vb.extents(y);
    if (ea.equals(eb) && va.bytes() == vb.bytes()) {
      return true;  // the same bytes of the same image
    }
    int i = 0;
    int j = 0;
    long pos = 0;
    while (i < ea.size() && j < eb.size()) {
      Extent a = ea.get(i);
      Extent b = eb.get(j);
      long end = Math.min(a.offset() + a.length(), b.offset() + b.length());
      long n = end - pos;
      if (n > 0 && !same(va, a, vb, b, pos, n)) {
        return false;
      }
      pos = end;
      if (a.offset() + a.length() == end) {
        i++;
      }
      if (b.offset() + b.length() == end) {
        j++;
      }
    }
    return true;
  }

  /** Whether file bytes [pos, pos + n), inside both runs, are equal. */
  private static boolean same(BranchView va, Extent a, BranchView vb, Extent b, long pos, long n) {
    if (a.isZeros() && b.isZeros()) {
      return true;
    }
    if (a.isZeros() || b.isZeros()) {
      Extent data = a.isZeros() ? b : a;
      BranchView view = a.isZeros() ? vb : va;
      return view.bytes().isZero(data.source() + pos - data.offset(), n, "file data");
    }
    MemorySegment sa = va.bytes().slice(a.source() + pos - a.offset(), n, "file data");
    MemorySegment sb = vb.bytes().slice(b.source() + pos - b.offset(), n, "file data");
    return sa.mismatch(sb) < 0;
  }
}
