package dev.daxfs.validate;

import dev.daxfs.format.BaseImage;

/**
 * What the base check established for the tree walk: the base, its inode count, its used size,
 * the root (0 when unusable) and, per inode, its mode and whether it is a directory whose dirents
 * can be read (so the walk reads no inode twice).
 */
final class BaseFacts {
  private final BaseImage base;
  private final long count;
  private final long used;
  private final long root;
  private final boolean[] readableDirectory;
  private final int[] mode;
  private long scanBudget;

  BaseFacts(BaseImage base, long count, long used, long root) {
    this(base, count, used, root, new boolean[Math.toIntExact(count + 1)], new int[Math.toIntExact(count + 1)]);
  }

  private BaseFacts(BaseImage base, long count, long used, long root, boolean[] readableDirectory, int[] mode) {
    this.base = base;
    this.count = count;
    this.used = used;
    this.root = root;
    this.readableDirectory = readableDirectory;
    this.mode = mode;
    this.scanBudget = used;
  }

  BaseImage base() { return base; }

  /** inode_count. */
  long count() { return count; }

  /** Bytes of the base that may be read: its total_size, or base_size when that is smaller. */
  long used() { return used; }

  /** The root inode, or 0 when it is out of range or not a directory. */
  long root() { return root; }

  BaseFacts withoutRoot() { return new BaseFacts(base, count, used, 0, readableDirectory, mode); }

  void mode(long ino, int value) { mode[(int) ino] = value; }

  /** The mode of inode {@code ino} (1..count). */
  int mode(long ino) { return mode[(int) ino]; }

  /** Takes {@code bytes} from the symlink-scan budget (the base's size); false when it is spent. */
  boolean takeScan(long bytes) {
    if (bytes > scanBudget) {
      return false;
    }
    scanBudget -= bytes;
    return true;
  }

  void markReadableDirectory(long ino) { readableDirectory[(int) ino] = true; }

  /** True for a directory inode whose extent and size checked out, so its dirents can be read. */
  boolean isReadableDirectory(long ino) { return readableDirectory[(int) ino]; }

  boolean isDirectory(long ino) { return dev.daxfs.format.Format.isDirectory(mode[(int) ino]); }
}
