package dev.daxfs.fuzz;

import static dev.daxfs.fuzz.Hazard.Kind.DIRECTORY_ALIAS;
import static dev.daxfs.fuzz.Hazard.Kind.DUPLICATE_NAME;
import static dev.daxfs.fuzz.Hazard.Kind.IO_ERROR;
import static dev.daxfs.fuzz.Hazard.Kind.OVERLAPPING_EXTENTS;
import static dev.daxfs.fuzz.Hazard.Kind.REFUSED_NAME;
import static dev.daxfs.fuzz.Hazard.Kind.UNBOUNDED_WALK;
import static dev.daxfs.fuzz.Hazard.Kind.WRONG_CONTENT;
import static dev.daxfs.fuzz.KernelMount.S_IFDIR;
import static dev.daxfs.fuzz.KernelMount.S_IFLNK;
import static dev.daxfs.fuzz.KernelMount.S_IFMT;
import static dev.daxfs.fuzz.KernelMount.S_IFREG;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks every directory of a view from the root, as `find` and `cat` would: readdir, lookup of each
 * listed name, stat, read of each regular file, readlink of each symlink. Iterative, and each
 * directory is listed once, so the walk is bounded by the image even when the image is cyclic.
 */
final class Traversal {
  private Traversal() {}

  private record Frame(long ino, String path) {}

  private static final Set<Integer> TYPES = Set.of(0140000, S_IFLNK, S_IFREG, 0060000, S_IFDIR, 0020000, 0010000);

  static Snapshot walk(BranchView v, String label) {
    KernelMemory mem = v.memory();
    Map<String, Snapshot.Seen> out = new TreeMap<>();
    Map<Long, Long> parentOf = new HashMap<>();
    Set<Long> reached = new LinkedHashSet<>();
    BranchView.Node root = v.iget(KernelMount.ROOT_INO);
    if (root == null) {
      mem.hazard(IO_ERROR, -1, "the root inode cannot be read");
      return new Snapshot(label, out);
    }
    out.put("/", seen(v, root));
    reached.add(root.ino);
    parentOf.put(root.ino, 0L);
    Deque<Frame> stack = new ArrayDeque<>();
    if ((root.mode & S_IFMT) == S_IFDIR) {
      stack.push(new Frame(root.ino, ""));
    }
    while (!stack.isEmpty()) {
      Frame dir = stack.pop();
      List<BranchView.Entry> entries;
      try {
        entries = v.readdir(dir.ino);
      } catch (KernelMemory.Oops e) {
        continue;
      }
      Set<String> names = new HashSet<>();
      for (BranchView.Entry e : entries) {
        String name = new String(e.name(), StandardCharsets.ISO_8859_1);
        String path = dir.path + "/" + name;
        String bad = BranchView.refusedName(e.name());
        if (bad != null) {
          mem.hazard(REFUSED_NAME, -1, "directory " + show(dir.path) + " lists " + bad);
          continue;
        }
        if (!names.add(name)) {
          mem.hazard(DUPLICATE_NAME, -1, "directory " + show(dir.path) + " lists " + show(path)
              + " twice: lookup reaches only the first");
          continue;
        }
        try {
          visit(v, mem, e, dir, path, out, parentOf, reached, stack);
        } catch (KernelMemory.Oops oops) {
          // the hazard is recorded; the kernel would have died in this operation
        }
      }
    }
    if (v.liveMount()) {
      checkExtents(v, mem, reached);
    }
    return new Snapshot(label, out);
  }

  private static void visit(BranchView v, KernelMemory mem, BranchView.Entry e, Frame dir, String path,
      Map<String, Snapshot.Seen> out, Map<Long, Long> parentOf, Set<Long> reached, Deque<Frame> stack) {
    long ino = v.lookup(dir.ino, e.name());
    if (ino != e.ino()) {
      mem.hazard(WRONG_CONTENT, -1, show(path) + ": readdir says inode " + e.ino() + ", lookup finds " + ino);
    }
    BranchView.Node n = v.iget(ino);
    if (n == null) {
      mem.hazard(IO_ERROR, -1, show(path) + " is listed but inode " + Long.toUnsignedString(ino)
          + " does not exist (ENOENT)");
      return;
    }
    int type = n.mode & S_IFMT;
    if (!TYPES.contains(type)) {
      mem.hazard(WRONG_CONTENT, -1, show(path) + ": inode " + ino + " has mode 0" + Integer.toOctalString(n.mode)
          + ", not a file type the VFS knows");
    } else if ((e.mode() & S_IFMT) != type) {
      mem.hazard(WRONG_CONTENT, -1, show(path) + ": readdir's d_type (mode 0" + Integer.toOctalString(e.mode())
          + ") differs from the inode's mode 0" + Integer.toOctalString(n.mode));
    }
    reached.add(ino);
    if (type == S_IFDIR) {
      if (parentOf.containsKey(ino)) {
        boolean ancestor = false;
        long d = dir.ino;
        for (int steps = 0; steps <= parentOf.size() && d != 0; steps++) {
          if (d == ino) {
            ancestor = true;
            break;
          }
          d = parentOf.getOrDefault(d, 0L);
        }
        mem.hazard(ancestor ? UNBOUNDED_WALK : DIRECTORY_ALIAS, -1, show(path) + " is directory " + ino
            + (ancestor ? ", one of its own ancestors: a walk never ends" : ", already reachable under another name"));
        return;
      }
      parentOf.put(ino, dir.ino);
      stack.push(new Frame(ino, path));
    }
    out.put(path, seen(v, n));
  }

  private static Snapshot.Seen seen(BranchView v, BranchView.Node n) {
    int type = n.mode & S_IFMT;
    String sha = type == S_IFREG ? v.read(n) : null;
    String target = type == S_IFLNK ? new String(v.readlink(n), StandardCharsets.ISO_8859_1) : null;
    return new Snapshot.Seen(n.ino, n.mode, n.uid, n.gid, n.size, sha, target);
  }

  private static String show(String path) {
    String p = path.isEmpty() ? "/" : path;
    return "'" + new String(p.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) + "'";
  }

  private record Extent(long start, long end, long ino, boolean file, String what) {}

  /**
   * Data of the reached base inodes must not overlap each other or the base's metadata. Regular
   * files may share an extent that starts at the same place (deduplicated contents).
   */
  private static void checkExtents(BranchView v, KernelMemory mem, Set<Long> reached) {
    KernelMount m = v.mount();
    if (!m.hasBase) {
      return;
    }
    List<Extent> extents = new ArrayList<>();
    extents.add(new Extent(0, 4096, 0, false, "the base superblock"));
    long tableRel = m.inodeRegion.start() - m.baseOffset;
    extents.add(new Extent(tableRel, tableRel + m.inodeRegion.length(), 0, false, "the inode table"));
    for (long ino : reached) {
      KernelMount.BaseInodeRaw raw = m.baseInode(ino);
      if (raw == null) {
        continue;
      }
      int type = raw.mode() & S_IFMT;
      long len = type == S_IFLNK ? raw.size() + 1 : raw.size();
      if (len <= 0 || !(type == S_IFREG || type == S_IFDIR || type == S_IFLNK)) {
        continue;
      }
      extents.add(new Extent(raw.dataOffset(), Region.saturatedEnd(raw.dataOffset(), len), ino, type == S_IFREG,
          "data of inode " + ino));
    }
    extents.sort(Comparator.<Extent>comparingLong(x -> x.start ^ Long.MIN_VALUE)
        .thenComparingLong(x -> x.end ^ Long.MIN_VALUE));
    Extent widest = null;
    for (Extent x : extents) {
      if (widest != null && Long.compareUnsigned(x.start, widest.end) < 0) {
        boolean shared = x.file && widest.file && x.start == widest.start;
        if (!shared) {
          mem.hazard(OVERLAPPING_EXTENTS, m.baseOffset + x.start, x.what + " overlaps " + widest.what);
        }
      }
      if (widest == null || Long.compareUnsigned(x.end, widest.end) > 0) {
        widest = x;
      }
    }
  }
}
