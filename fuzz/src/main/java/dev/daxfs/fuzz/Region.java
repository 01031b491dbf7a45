package dev.daxfs.fuzz;

/** A named byte range of the image, [start, start+length), with overflow-safe containment. */
record Region(String name, long start, long length) {

  boolean contains(long offset, long len) {
    return Long.compareUnsigned(offset, start) >= 0 && Long.compareUnsigned(offset - start, length) <= 0
        && Long.compareUnsigned(len, length - (offset - start)) <= 0;
  }

  boolean overlaps(long offset, long len) {
    if (len == 0 || length == 0) {
      return false;
    }
    long end = saturatedEnd(offset, len);
    long myEnd = saturatedEnd(start, length);
    return Long.compareUnsigned(offset, myEnd) < 0 && Long.compareUnsigned(start, end) < 0;
  }

  /** offset + len as unsigned 64-bit, clamped at 2^64-1 instead of wrapping. */
  static long saturatedEnd(long offset, long len) {
    long end = offset + len;
    return Long.compareUnsigned(end, offset) < 0 ? -1L : end;
  }

  @Override public String toString() {
    return name + " [" + Long.toUnsignedString(start) + ", +" + Long.toUnsignedString(length) + ")";
  }
}
