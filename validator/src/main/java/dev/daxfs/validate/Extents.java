package dev.daxfs.validate;

import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.BaseImage;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Rule 22: the non-empty extents of the base, sorted by start and swept once. Only regular files
 * with identical (offset, size) may share bytes (deduplicated contents).
 */
final class Extents {
  private long[] start = new long[64];
  private long[] length = new long[64];
  private int[] ino = new int[64];
  private boolean[] regular = new boolean[64];
  private int size;

  void add(long start, long length, int ino, boolean regular) {
    if (size == this.start.length) {
      int n = size * 2;
      this.start = Arrays.copyOf(this.start, n);
      this.length = Arrays.copyOf(this.length, n);
      this.ino = Arrays.copyOf(this.ino, n);
      this.regular = Arrays.copyOf(this.regular, n);
    }
    this.start[size] = start;
    this.length[size] = length;
    this.ino[size] = ino;
    this.regular[size] = regular;
    size++;
  }

  void checkOverlaps(BaseImage base, Problems p) {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    // Extents were checked to lie inside the base, so plain long comparisons are exact here.
    Arrays.sort(order, Comparator.<Integer>comparingLong(i -> start[i]).thenComparingLong(i -> length[i]));
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
}
