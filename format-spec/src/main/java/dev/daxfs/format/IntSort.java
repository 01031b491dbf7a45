package dev.daxfs.format;

import java.util.function.IntBinaryOperator;

/**
 * A stable sort of ints (indexes into arrays the caller holds) by a comparison: a merge sort in
 * two int arrays, where sorting boxed Integers cost 20 bytes an item. Used for a directory's
 * dirents by name and for the validator's extents by position, both a million items or more.
 */
public final class IntSort {
  private IntSort() {}

  /** {@code items} (which it may reuse) ordered by {@code compare}; equal items keep their order. */
  public static int[] stable(int[] items, IntBinaryOperator compare) {
    int n = items.length;
    int[] from = items;
    int[] to = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          to[k] = i < mid && (j >= hi || compare.applyAsInt(from[i], from[j]) <= 0) ? from[i++] : from[j++];
        }
      }
      int[] t = from;
      from = to;
      to = t;
    }
    return from;
  }
}
