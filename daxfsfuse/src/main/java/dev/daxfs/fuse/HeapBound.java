package dev.daxfs.fuse;

/**
 * Collects the heap when it has grown to twice what was live after the last collection (and past
 * a floor). A mount's live heap is small and bounded (the view's caches), but the serial
 * collector grows its old generation by the survivors of young collections (cache entries let go
 * a little later) rather than collect it: 400 MiB after a find -ls of 1,000,000 files. G1 kept it
 * flat there but its sizing raised the peak at mount to 182-311 MiB; serial with this bound,
 * 173-184 MiB.
 */
final class HeapBound {
  private static final long FLOOR = 48L << 20;
  private static long limit = FLOOR;

  private HeapBound() {}

  /** Called by the watcher thread every period. */
  static void check() {
    Runtime rt = Runtime.getRuntime();
    if (rt.totalMemory() > limit) {
      System.gc();
      limit = Math.max(FLOOR, 2 * (rt.totalMemory() - rt.freeMemory()));
    }
  }
}
