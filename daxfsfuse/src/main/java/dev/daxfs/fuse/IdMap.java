package dev.daxfs.fuse;

/**
 * Node id to node id, in two long arrays (open addressing): a map entry per directory of a large
 * tree would cost five times as much in boxed form. Ids are never 0, which marks a free slot.
 */
final class IdMap {
  private long[] keys = new long[64];
  private long[] values = new long[64];
  private int size;

  /** The value of {@code key}, or 0. */
  long get(long key) {
    for (int i = slot(key, keys.length); keys[i] != 0; i = (i + 1) & (keys.length - 1)) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return 0;
  }

  void put(long key, long value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int i = slot(key, keys.length);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & (keys.length - 1);
    }
    size += keys[i] == 0 ? 1 : 0;
    keys[i] = key;
    values[i] = value;
  }

  private void grow() {
    long[] k = keys;
    long[] v = values;
    keys = new long[k.length * 2];
    values = new long[k.length * 2];
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != 0) {
        put(k[i], v[i]);
      }
    }
  }

  private static int slot(long key, int length) {
    return (int) (Long.hashCode(key * 0x9E3779B97F4A7C15L)) & (length - 1);
  }
}
