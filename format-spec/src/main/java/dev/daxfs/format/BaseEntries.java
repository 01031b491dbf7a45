package dev.daxfs.format;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * The entries of a base directory the logs never touched, read from its dirents when used: it
 * keeps four bytes per entry (the dirent's index, in name order) and resolves names and nodes
 * from the image, so a directory of millions of files costs megabytes, not a node per file.
 * Dirents the view would leave out (bad names, inode numbers out of range, unreadable inodes,
 * a repeated name after its first dirent) are left out here too, each reported once per build.
 */
final class BaseEntries implements Entries {
  private final DirentArray dirents;
  private final LongFunction<ViewNode> nodes;
  /** Dirent indexes of the entries, sorted by name bytes. */
  private final int[] order;
  private final long subdirectories;
  private final boolean problems;

  /**
   * Reads the dirents of base directory {@code dir}; {@code nodes} gives the node of a base inode
   * number (null for one that cannot be read, already reported), {@code report} takes each
   * dirent left out.
   */
  BaseEntries(long dir, DirentArray dirents, long inodeCount, LongFunction<ViewNode> nodes, Problems report) {
    this.dirents = dirents;
    this.nodes = nodes;
    if (dirents.count() > Integer.MAX_VALUE - 8) {
      report.unusable(dirents.at(), dir, "directory inode " + dir + " has " + dirents.count()
          + " dirents, more than one listing can index; left empty");
      this.order = new int[0];
      this.subdirectories = 0;
      this.problems = true;
      return;
    }
    int count = (int) dirents.count();
    int[] kept = new int[count];
    int n = 0;
    long subdirs = 0;
    boolean sorted = true;
    boolean bad = false;
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      Dirent d;
      try {
        d = dirents.get(i);
      } catch (FormatException e) {
        report.unusable(e.offset(), dir, e.getMessage());
        bad = true;
        continue;
      }
      long ino = Integer.toUnsignedLong(d.ino());
      String problem = d.nameLen() > Format.NAME_MAX ? "name_len " + d.nameLen() + " over " + Format.NAME_MAX
          : Names.problem(d.name());
      if (problem != null) {
        report.unusable(d.at(), ino, "dirent in directory inode " + dir + ": " + problem + "; left out");
        bad = true;
        continue;
      }
      if (ino < 1 || ino > inodeCount) {
        report.unusable(d.at(), ino, "dirent '" + d.nameString() + "' in directory inode " + dir
            + ": inode " + ino + " outside 1.." + inodeCount + "; left out");
        bad = true;
        continue;
      }
      ViewNode child = nodes.apply(ino);
      if (child == null) {
        bad = true;
        continue;
      }
      sorted &= previous == null || Arrays.compareUnsigned(previous, d.name()) < 0;
      previous = d.name();
      subdirs += child.isDirectory() ? 1 : 0;
      kept[n++] = i;
    }
    int[] byName = Arrays.copyOf(kept, n);
    if (!sorted) {
      byName = IntSort.stable(byName, (a, b) -> Arrays.compareUnsigned(direntName(a), direntName(b)));
      // Equal names now sit together in dirent order: the first dirent of a name is the one kept.
      int unique = 0;
      for (int i = 0; i < byName.length; i++) {
        if (unique > 0 && Arrays.equals(direntName(byName[unique - 1]), direntName(byName[i]))) {
          Dirent d = dirents.get(byName[i]);
          report.unusable(d.at(), Integer.toUnsignedLong(d.ino()), "dirent in directory inode " + dir
              + ": duplicate name '" + d.nameString() + "'; the first one is kept");
          subdirs -= nodes.apply(Integer.toUnsignedLong(d.ino())).isDirectory() ? 1 : 0;
          bad = true;
          continue;
        }
        byName[unique++] = byName[i];
      }
      byName = Arrays.copyOf(byName, unique);
    }
    this.order = byName;
    this.subdirectories = subdirs;
    this.problems = bad;
  }

  /** Where a listing reports the dirents it leaves out. */
  @FunctionalInterface
  interface Problems {
    void unusable(long at, long ino, String message);
  }

  /** True when dirents were left out (the view keeps such a listing, so each is reported once). */
  boolean hadProblems() { return problems; }

  @Override public int size() { return order.length; }

  @Override public byte[] name(int i) { return direntName(order[i]); }

  @Override public ViewNode node(int i) {
    return nodes.apply(Integer.toUnsignedLong(dirents.get(order[i]).ino()));
  }

  @Override public int find(byte[] name) {
    int lo = 0;
    int hi = order.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(direntName(order[mid]), name);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  @Override public long subdirectories() { return subdirectories; }

  private byte[] direntName(int dirent) { return dirents.get(dirent).name(); }
}
