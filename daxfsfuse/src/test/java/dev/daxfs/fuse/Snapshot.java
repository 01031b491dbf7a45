package dev.daxfs.fuse;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import dev.daxfs.nativemem.BytePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node of a tree by path (each name as {@link Names#text}, so two different byte names never
 * meet): type and permission bits, owner, size, links, inode number, and the SHA-256 of a file's
 * bytes or a symlink's target.
 */
final class Snapshot {
  record Entry(int mode, int uid, int gid, long size, long nlink, long ino, String content) {
    /** Without what a source tree cannot agree on with an image: the inode number, a directory's size. */
    Entry portable() {
      return new Entry(mode, uid, gid, (mode & 0xf000) == 0x4000 ? 0 : size, nlink, 0, content);
    }
  }

  private Snapshot() {}

  /** A tree on disk (a source tree or a mount), read through the kernel without following links. */
  static Map<String, Entry> of(Path root) throws IOException {
    Map<String, Entry> out = new TreeMap<>();
    record Item(Path path, String key) {}
    Deque<Item> todo = new ArrayDeque<>();
    todo.push(new Item(root, "/"));
    while (!todo.isEmpty()) {
      Item it = todo.pop();
      Map<String, Object> a = Files.readAttributes(it.path, "unix:mode,uid,gid,size,nlink,ino",
          LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      String content = null;
      if ((mode & 0xf000) == 0x8000) {
        try (InputStream in = Files.newInputStream(it.path)) {
          content = sha256(in);
        }
      } else if ((mode & 0xf000) == 0xa000) {
        content = HexFormat.of().formatHex(BytePath.of(it.path).readlink());
      }
      out.put(it.key, new Entry(mode, (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
          ((Number) a.get("nlink")).longValue(), (Long) a.get("ino"), content));
      if ((mode & 0xf000) == 0x4000) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(it.path)) {
          for (Path p : ds) {
            todo.push(new Item(p, (it.key.equals("/") ? "/" : it.key + "/") + Names.text(BytePath.fileName(p))));
          }
        }
      }
    }
    return out;
  }

  /** What a branch view holds, as the tools decode it. */
  static Map<String, Entry> of(BranchView view) throws IOException {
    Map<String, Entry> out = new TreeMap<>();
    IOException[] failed = {null};
    view.walk(view.root(), "/", (path, n) -> {
      try {
        out.put(path, entry(view, n));
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
    return out;
  }

  private static Entry entry(BranchView view, ViewNode n) throws IOException {
    String content = null;
    if (n.isRegular()) {
      try (InputStream in = view.open(n)) {
        content = sha256(in);
      }
    } else if (n.isSymlink()) {
      content = HexFormat.of().formatHex(n.target());
    }
    return new Entry(n.mode(), n.uid(), n.gid(), n.size(), view.nlink(n), n.ino(), content);
  }

  static String sha256(InputStream in) throws IOException {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lines "path: expected != found" for every difference, or empty. */
  static String diff(Map<String, Entry> expected, Map<String, Entry> found) {
    StringBuilder sb = new StringBuilder();
    for (var e : expected.entrySet()) {
      Entry f = found.get(e.getKey());
      if (!e.getValue().equals(f)) {
        sb.append(e.getKey()).append(": ").append(e.getValue()).append(" != ").append(f).append('\n');
      }
    }
    for (String k : found.keySet()) {
      if (!expected.containsKey(k)) {
        sb.append(k).append(": not expected, found ").append(found.get(k)).append('\n');
      }
    }
    return sb.toString();
  }

  static Map<String, Entry> portable(Map<String, Entry> m) {
    Map<String, Entry> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.portable()));
    return out;
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return Arrays.copyOf(b, b.length);
  }
}
