package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What ls -l and stat show of a node, and its JSON object. */
final class Stats {
  private Stats() {}

  /** 1 for files and links (v3 logs no hard links); 2 plus subdirectories for a directory. */
  static long nlink(BranchView view, ViewNode n) {
    return view.nlink(n);
  }

  /** "-rw-r--r--    1     0     0        15 name [-> target]". */
  static String longLine(BranchView view, ViewNode n, String name) {
    return String.format("%s %4d %5s %5s %10d %s%s", Modes.string(n.mode()), nlink(view, n),
        Integer.toUnsignedString(n.uid()), Integer.toUnsignedString(n.gid()), n.size(), name,
        n.isSymlink() ? " -> " + Names.text(n.target()) : "");
  }

  static Map<String, Object> json(BranchView view, ViewNode n, String path) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    // A number, as every other count (a u64 beyond Long.MAX_VALUE stays exact).
    m.put("ino", n.ino() >= 0 ? (Object) n.ino() : new java.math.BigInteger(Long.toUnsignedString(n.ino())));
    m.put("type", Modes.type(n.mode()));
    m.put("mode", Modes.octal(n.mode()));
    m.put("uid", Integer.toUnsignedLong(n.uid()));
    m.put("gid", Integer.toUnsignedLong(n.gid()));
    m.put("size", n.size());
    m.put("nlink", nlink(view, n));
    if (n.isSymlink()) {
      m.put("target", Names.text(n.target()));
    }
    return m;
  }
}
