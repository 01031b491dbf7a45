package dev.daxfs.fuzz;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.Node;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory POSIX file system: what a branch should show, kept by applying each generated
 * operation directly, never by decoding bytes. Names are raw bytes held as ISO-8859-1 strings.
 */
final class FsModel {
  static final class Obj {
    final long ino;
    int mode;
    long uid;
    long gid;
    byte[] data = new byte[0];
    byte[] target;
    final LinkedHashMap<String, Long> children = new LinkedHashMap<>();

    Obj(long ino, int mode) {
      this.ino = ino;
      this.mode = mode;
    }

    Obj copy() {
      Obj o = new Obj(ino, mode);
      o.uid = uid;
      o.gid = gid;
      o.data = data;
      o.target = target;
      o.children.putAll(children);
      return o;
    }

    boolean isDir() { return Format.isDirectory(mode); }

    boolean isFile() { return Format.isRegular(mode); }
  }

  final Map<Long, Obj> objs = new HashMap<>();

  /** The base image's tree, numbered as the layout numbers it. */
  static FsModel of(ImageLayout layout) {
    FsModel m = new FsModel();
    for (int ino = 1; ino <= layout.inodeCount(); ino++) {
      Node n = layout.node(ino);
      Obj o = new Obj(ino, n.mode());
      o.uid = Integer.toUnsignedLong(n.uid());
      o.gid = Integer.toUnsignedLong(n.gid());
      switch (n) {
        case Node.File f -> o.data = ((Content.BytesContent) f.content()).bytes();
        case Node.Symlink s -> o.target = s.target();
        case Node.Directory d -> {
          for (int child : layout.children(ino)) {
            o.children.put(TreeSnapshot.latin1(layout.node(child).name()), (long) child);
          }
        }
      }
      m.objs.put((long) ino, o);
    }
    return m;
  }

  FsModel copy() {
    FsModel m = new FsModel();
    objs.forEach((k, v) -> m.objs.put(k, v.copy()));
    return m;
  }

  Obj get(long ino) { return objs.get(ino); }

  /** Objects and where they are named: ino -> {parent ino, name}, by a walk from the root. */
  Map<Long, Object[]> placements() {
    Map<Long, Object[]> out = new LinkedHashMap<>();
    Deque<Long> work = new ArrayDeque<>();
    work.push(1L);
    while (!work.isEmpty()) {
      Obj d = objs.get(work.pop());
      d.children.forEach((name, child) -> {
        out.put(child, new Object[] {d.ino, name});
        if (objs.get(child).isDir()) {
          work.push(child);
        }
      });
    }
    return out;
  }

  /** True when {@code dir} is {@code ancestor} or below it. */
  boolean within(long dir, long ancestor) {
    Map<Long, Object[]> places = placements();
    long d = dir;
    for (int steps = 0; steps <= objs.size(); steps++) {
      if (d == ancestor) {
        return true;
      }
      Object[] p = places.get(d);
      if (p == null) {
        return false;
      }
      d = (Long) p[0];
    }
    return false;
  }

  void write(long ino, long pos, byte[] bytes) {
    Obj f = objs.get(ino);
    int end = Math.toIntExact(pos + bytes.length);
    if (end > f.data.length) {
      f.data = Arrays.copyOf(f.data, end);
    } else {
      f.data = f.data.clone();
    }
    System.arraycopy(bytes, 0, f.data, (int) pos, bytes.length);
  }

  void truncate(long ino, long size) {
    Obj f = objs.get(ino);
    f.data = Arrays.copyOf(f.data, Math.toIntExact(size));
  }

  /** path -> "ino mode uid gid size content", directories without a size (the kernel's is not the count). */
  Map<String, String> describe() {
    Map<String, String> out = new TreeMap<>();
    Deque<Object[]> work = new ArrayDeque<>();
    work.push(new Object[] {1L, "/"});
    while (!work.isEmpty()) {
      Object[] it = work.pop();
      Obj o = objs.get((Long) it[0]);
      String path = (String) it[1];
      String what = o.isDir() ? "-" : o.isFile() ? o.data.length + " " + TreeSnapshot.sha(o.data)
          : o.target.length + " -> " + TreeSnapshot.latin1(o.target);
      out.put(path, o.ino + " 0" + Integer.toOctalString(o.mode) + " " + o.uid + " " + o.gid + " " + what);
      o.children.forEach((name, child) -> work.push(new Object[] {child, (path.equals("/") ? "" : path) + "/" + name}));
    }
    return out;
  }

  /** A walked view in {@link #describe()}'s form. */
  static Map<String, String> describe(Snapshot s) {
    Map<String, String> out = new TreeMap<>();
    s.paths().forEach((path, seen) -> {
      String what = Format.isDirectory(seen.mode()) ? "-" : seen.target() != null
          ? seen.size() + " -> " + seen.target() : seen.size() + " " + seen.sha256();
      out.put(path, seen.ino() + " 0" + Integer.toOctalString(seen.mode()) + " " + seen.uid() + " " + seen.gid()
          + " " + what);
    });
    return out;
  }
}
