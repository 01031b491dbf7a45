package dev.daxfs.validate;

import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.IntSort;

/**
 * Rule 22: the non-empty extents of the base, sorted by start and swept once. Only regular files
 * with identical (offset, size) may share bytes (deduplicated contents).
 */
final class Extents {
  private final long[] start;
  private final long[] length;
  private final int[] ino;
  private final boolean[] regular;
  private int size;

  /**
   * Room for {@code inodes} extents at most (one per inode), sized once: growing by doubling left
   * a million-inode base with twice its arrays at once, which a mount's heap grew for.
   */
  Extents(int inodes) {
    int n = Math.max(inodes, 1);
    start = new long[n];
    length = new long[n];
    ino = new int[n];
    regular = new boolean[n];
  }

  /** One extent; at most as many as the constructor made room for (one per inode). */
  void add(long start, long length, int ino, boolean regular) {
    this.start[size] = start;
    this.length[size] = length;
    this.ino[size] = ino;
    this.regular[size] = regular;
    size++;
  }

  void checkOverlaps(BaseImage base, Problems p) {
    int[] order = byStartAndLength();
    // Every extent is non-empty, so the first one always becomes the owner before any test uses it.
    int owner = -1;   // the extent reaching furthest so far
    long reach = 0;
    for (int k : order) {
      if (start[k] < reach) {
        boolean shared = regular[k] && regular[owner] && start[k] == start[owner] && length[k] == length[owner];
        if (!shared) {
          p.add(Rule.EXTENT_OVERLAP, "inode", base.inodeAt(ino[k]) + offset(INODE, "data_offset"), ino[k],
              "an extent disjoint from inode " + ino[owner] + "'s " + span(owner),
              "extent " + span(k));
        }
      }
      if (start[k] + length[k] > reach) {
        owner = k;
        reach = start[k] + length[k];
      }
    }
  }

  private Span span(int i) { return new Span(start[i], length[i]); }

  /**
   * Indexes sorted by (start, length), equal ones in index order. Extents lie inside the base, so
   * long comparisons are exact.
   */
  int[] byStartAndLength() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    return IntSort.stable(order, (a, b) -> start[a] != start[b] ? Long.compare(start[a], start[b])
        : Long.compare(length[a], length[b]));
  }
}
