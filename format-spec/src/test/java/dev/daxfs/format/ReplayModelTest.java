package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random POSIX operations, child branches, commits, aborts and remounts, applied both to a plain
 * in-memory tree and as kernel-style delta logs; every active branch's replayed view equals the tree.
 */
class ReplayModelTest {

  /** A plain tree node: what POSIX says a file, directory or symlink holds. */
  static final class M {
    long ino;
    int mode;
    int uid;
    int gid;
    byte[] data = new byte[0];
    byte[] target;
    TreeMap<String, M> kids;
    M parent;

    boolean dir() { return kids != null; }
    boolean file() { return kids == null && target == null; }
  }

  /** One branch's tree, with its inode numbers. */
  static final class Tree {
    M root;
    final Map<Long, M> byIno = new HashMap<>();

    Tree copy() {
      Tree t = new Tree();
      IdentityHashMap<M, M> map = new IdentityHashMap<>();
      for (M m : byIno.values()) {
        M c = new M();
        c.ino = m.ino;
        c.mode = m.mode;
        c.uid = m.uid;
        c.gid = m.gid;
        c.data = m.data;
        c.target = m.target;
        map.put(m, c);
        t.byIno.put(c.ino, c);
      }
      for (M m : byIno.values()) {
        M c = map.get(m);
        c.parent = m.parent == null ? null : map.get(m.parent);
        if (m.kids != null) {
          c.kids = new TreeMap<>();
          m.kids.forEach((k, v) -> c.kids.put(k, map.get(v)));
        }
      }
      t.root = map.get(root);
      return t;
    }

    List<String> listing() {
      List<String> out = new ArrayList<>();
      Deque<Object[]> stack = new ArrayDeque<>();
      stack.push(new Object[] {"/", root});
      while (!stack.isEmpty()) {
        Object[] it = stack.pop();
        String path = (String) it[0];
        M m = (M) it[1];
        out.add(Listing.line(Modes.string(m.mode), m.uid, m.gid, m.dir() ? -1 : m.file() ? m.data.length
            : m.target.length, m.ino, path, m.file() ? sha(m.data) : null));
        if (m.dir()) {
          m.kids.forEach((k, v) -> stack.push(new Object[] {(path.equals("/") ? "/" : path + "/") + k, v}));
        }
      }
      out.sort(null);
      return out;
    }
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static byte[] n(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static Node.Directory baseTree() {
    byte[] a = new byte[5000];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (i * 7);
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(n("a"), 0644, 1000, 1000, a.length, Content.of(a)),
        new Node.File(n("empty"), 0600, 0, 0, 0, Content.of(new byte[0])),
        new Node.Symlink(n("ln"), 0777, 0, 0, n("a")),
        new Node.Directory(n("d"), 0750, 5, 6, List.of(
            new Node.File(n("b"), 0640, 0, 0, 3, Content.of(n("bbb"))),
            new Node.Directory(n("e"), 0755, 0, 0, List.of())))));
  }

  private static Tree baseModel() {
    ImageLayout layout = ImageLayout.plan(baseTree(), ImageSpec.branching(1 << 20));
    Tree t = new Tree();
    for (int ino = 1; ino <= layout.inodeCount(); ino++) {
      Node node = layout.node(ino);
      M m = new M();
      m.ino = ino;
      m.mode = node.mode();
      m.uid = node.uid();
      m.gid = node.gid();
      switch (node) {
        case Node.File f -> m.data = ((Content.BytesContent) f.content()).bytes();
        case Node.Symlink s -> m.target = s.target();
        case Node.Directory d -> m.kids = new TreeMap<>();
      }
      t.byIno.put((long) ino, m);
    }
    for (int ino = 1; ino <= layout.inodeCount(); ino++) {
      if (layout.node(ino) instanceof Node.Directory) {
        for (int kid : layout.children(ino)) {
          M k = t.byIno.get((long) kid);
          t.byIno.get((long) ino).kids.put(new String(layout.node(kid).name(), StandardCharsets.UTF_8), k);
          k.parent = t.byIno.get((long) ino);
        }
      }
    }
    t.root = t.byIno.get(1L);
    return t;
  }

  /** Applies random valid operations to the tree and logs them. */
  static final class Driver {
    final Random rnd;
    final KernelBranches image;
    final Map<Integer, Tree> trees = new HashMap<>();
    final Deque<Integer> mounted = new ArrayDeque<>();  // current branch on top, main at the bottom
    long nextIno;
    int names;

    Driver(long seed) throws Exception {
      rnd = new Random(seed);
      image = new KernelBranches(baseTree(), 1 << 20);
      nextIno = baseModel().byIno.size() + 1;
      remount();
    }

    void remount() {
      for (int slot : mounted) {
        if (slot != mounted.peekLast()) {
          image.abort(slot);
          trees.remove(slot);
        }
      }
      mounted.clear();
      int slot = image.mount();
      trees.put(slot, baseModel());
      mounted.push(slot);
    }

    int current() { return mounted.peek(); }

    Tree tree() { return trees.get(current()); }

    DeltaLogBuilder log() { return image.log(current()); }

    <T> T pick(List<T> xs) { return xs.get(rnd.nextInt(xs.size())); }

    List<M> nodes(java.util.function.Predicate<M> p) {
      List<M> out = new ArrayList<>();
      Deque<M> stack = new ArrayDeque<>(List.of(tree().root));
      while (!stack.isEmpty()) {
        M m = stack.pop();
        if (p.test(m)) {
          out.add(m);
        }
        if (m.dir()) {
          stack.addAll(m.kids.values());
        }
      }
      out.sort((x, y) -> Long.compare(x.ino, y.ino));
      return out;
    }

    String nameOf(M m) {
      return m.parent.kids.entrySet().stream().filter(e -> e.getValue() == m).findFirst().orElseThrow().getKey();
    }

    /** A fresh name or, sometimes, one that already exists in {@code dir}. */
    String name(M dir, boolean allowExisting) {
      if (allowExisting && !dir.kids.isEmpty() && rnd.nextInt(3) == 0) {
        return pick(new ArrayList<>(dir.kids.keySet()));
      }
      return "n" + names++;
    }

    M fresh(int mode) {
      M m = new M();
      m.ino = nextIno++;
      m.mode = mode;
      tree().byIno.put(m.ino, m);
      return m;
    }

    void step() {
      Tree t = tree();
      List<M> dirs = nodes(M::dir);
      List<M> files = nodes(M::file);
      switch (rnd.nextInt(14)) {
        case 0, 1 -> {
          M dir = pick(dirs);
          String nm = name(dir, false);
          M f = fresh(Format.S_IFREG | 0644);
          log().create(dir.ino, f.ino, f.mode, n(nm));
          dir.kids.put(nm, f);
          f.parent = dir;
        }
        case 2 -> {
          M dir = pick(dirs);
          String nm = name(dir, false);
          M d = fresh(Format.S_IFDIR | 0755);
          d.kids = new TreeMap<>();
          log().mkdir(dir.ino, d.ino, d.mode, n(nm));
          dir.kids.put(nm, d);
          d.parent = dir;
        }
        case 3 -> {
          M dir = pick(dirs);
          String nm = name(dir, false);
          M l = fresh(Format.S_IFLNK | 0777);
          l.target = n("t" + rnd.nextInt(1000));
          log().symlink(dir.ino, l.ino, n(nm), l.target);
          dir.kids.put(nm, l);
          l.parent = dir;
        }
        case 4, 5, 6 -> {
          if (files.isEmpty()) {
            return;
          }
          M f = pick(files);
          int off = rnd.nextInt(f.data.length + 200);
          byte[] data = new byte[rnd.nextInt(300)];
          rnd.nextBytes(data);
          log().write(f.ino, off, data);
          if (data.length > 0) {
            byte[] nd = Arrays.copyOf(f.data, Math.max(f.data.length, off + data.length));
            System.arraycopy(data, 0, nd, off, data.length);
            f.data = nd;
          }
        }
        case 7 -> {
          if (files.isEmpty()) {
            return;
          }
          M f = pick(files);
          int size = rnd.nextInt(f.data.length + 300);
          if (rnd.nextBoolean()) {
            log().truncate(f.ino, size);
          } else {
            log().setattr(f.ino, 0, 0, 0, Format.ATTR_SIZE, size);
          }
          f.data = Arrays.copyOf(f.data, size);
        }
        case 8 -> {
          List<M> all = nodes(m -> true);
          M m = pick(all);
          int valid = 1 + rnd.nextInt(7);
          int mode = rnd.nextInt(07777);
          int uid = rnd.nextInt(5000);
          int gid = rnd.nextInt(5000);
          // chmod logs the whole i_mode (type bits included); chown logs mode 0.
          log().setattr(m.ino, (valid & 1) != 0 ? (m.mode & Format.S_IFMT) | mode : 0, uid, gid, valid, 0);
          if ((valid & Format.ATTR_MODE) != 0) {
            m.mode = (m.mode & Format.S_IFMT) | mode;
          }
          if ((valid & Format.ATTR_UID) != 0) {
            m.uid = uid;
          }
          if ((valid & Format.ATTR_GID) != 0) {
            m.gid = gid;
          }
        }
        case 9 -> {
          List<M> gone = nodes(m -> m != t.root && (!m.dir() || m.kids.isEmpty()));
          if (gone.isEmpty()) {
            return;
          }
          M m = pick(gone);
          String nm = nameOf(m);
          log().delete(m.parent.ino, m.ino, n(nm));
          m.parent.kids.remove(nm);
        }
        case 10, 11 -> {
          List<M> movable = nodes(m -> m != t.root);
          if (movable.isEmpty()) {
            return;
          }
          M m = pick(movable);
          List<M> into = nodes(d -> d.dir() && !within(d, m));
          M to = pick(into);
          String nm = name(to, true);
          M old = to.kids.get(nm);
          if (old == m) {
            return;
          }
          if (old != null && (old.dir() || m.dir())) {
            nm = name(to, false);
          }
          String from = nameOf(m);
          log().rename(m.parent.ino, to.ino, m.ino, n(from), n(nm));
          m.parent.kids.remove(from);
          to.kids.put(nm, m);
          m.parent = to;
        }
        case 12 -> {
          if (rnd.nextInt(3) == 0) {
            int child = image.child("c" + names++, current());
            trees.put(child, t.copy());
            mounted.push(child);
          } else if (mounted.size() > 1) {
            int child = mounted.pop();
            if (rnd.nextBoolean()) {
              image.commit(child, current());
              trees.put(current(), trees.remove(child));
            } else {
              image.abort(child);
              trees.remove(child);
            }
          }
        }
        default -> {
          if (rnd.nextInt(8) == 0) {
            remount();
          }
        }
      }
    }

    static boolean within(M d, M ancestor) {
      for (M p = d; p != null; p = p.parent) {
        if (p == ancestor) {
          return true;
        }
      }
      return false;
    }
  }

  @Test
  void viewsEqualTheModel() throws Exception {
    for (long seed = 0; seed < 150; seed++) {
      Driver d = new Driver(seed);
      for (int i = 0; i < 60; i++) {
        d.step();
      }
      Image img = Image.open(ImageBytes.of(d.image.bytes()));
      for (var e : d.trees.entrySet()) {
        BranchRecord rec = img.branchTable().records().get(e.getKey());
        List<ReplayProblem> problems = new ArrayList<>();
        List<String> got = new ArrayList<>(Listing.of(Replay.branch(img, rec, problems::add)));
        got.sort(null);
        assertEquals(e.getValue().listing(), got, "seed " + seed + " slot " + e.getKey());
        assertEquals(List.of(), problems, "seed " + seed + " slot " + e.getKey());
      }
      BranchRecord newest = img.branchTable().byName("main").orElseThrow();
      assertEquals(d.mounted.peekLast(), newest.slot(), "seed " + seed);
    }
  }
}
