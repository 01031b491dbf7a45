package dev.daxfs.fuzz;

import dev.daxfs.format.Content;
import dev.daxfs.format.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tree and a view in one comparable form: path to "mode uid gid size sha256-or-target". Inode
 * numbers are left out (the layout chooses them); paths use ISO-8859-1 for raw name bytes.
 */
final class TreeSnapshot {
  private TreeSnapshot() {}

  static Map<String, String> of(Node.Directory root) {
    Map<String, String> out = new TreeMap<>();
    record Item(Node node, String path) {}
    Deque<Item> work = new ArrayDeque<>();
    work.push(new Item(root, "/"));
    while (!work.isEmpty()) {
      Item it = work.pop();
      switch (it.node) {
        case Node.Directory d -> {
          out.put(it.path, line(d.mode(), d.uid(), d.gid(), (long) d.children().size() * 144, null));
          for (Node c : d.children()) {
            work.push(new Item(c, (it.path.equals("/") ? "" : it.path) + "/" + latin1(c.name())));
          }
        }
        case Node.File f -> out.put(it.path, line(f.mode(), f.uid(), f.gid(), f.size(),
            sha(((Content.BytesContent) f.content()).bytes())));
        case Node.Symlink s -> out.put(it.path, line(s.mode(), s.uid(), s.gid(), s.target().length,
            "-> " + latin1(s.target())));
      }
    }
    return out;
  }

  static Map<String, String> of(Snapshot s) {
    Map<String, String> out = new TreeMap<>();
    s.paths().forEach((path, seen) -> out.put(path, line(seen.mode(), seen.uid(), seen.gid(), seen.size(),
        seen.target() != null ? "-> " + seen.target() : seen.sha256())));
    return out;
  }

  private static String line(long mode, long uid, long gid, long size, String what) {
    return "0" + Long.toOctalString(mode) + " " + uid + " " + gid + " " + size + (what == null ? "" : " " + what);
  }

  static String latin1(byte[] b) { return new String(b, StandardCharsets.ISO_8859_1); }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
