package dev.daxfs.format;

/**
 * A directory's dirents, read on demand. The count comes from the directory size, which the base
 * image has already checked to lie inside the image, so it is bounded by the image size.
 */
public final class DirentArray {
  private final ImageBytes bytes;
  private final long at;
  private final long count;

  DirentArray(ImageBytes bytes, long at, long count) {
    this.bytes = bytes;
    this.at = at;
    this.count = count;
  }

  public long count() { return count; }

  /** Absolute offset of the first dirent. */
  public long at() { return at; }

  public Dirent get(long index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    return Dirent.read(bytes, at + index * Format.DIRENT_SIZE);
  }
}
