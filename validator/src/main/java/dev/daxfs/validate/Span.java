package dev.daxfs.validate;

/**
 * A byte range [start, start + length) of unsigned 64-bit quantities, with overflow-safe tests.
 * A range whose end does not fit in 64 bits is inside nothing.
 */
record Span(long start, long length) {

  /** The end as an unsigned value; only meaningful when {@link #fits()}. */
  long end() { return start + length; }

  /** True when start + length does not overflow 64 unsigned bits. */
  boolean fits() {
    return Long.compareUnsigned(start, -1L - length) <= 0;
  }

  /** True when this range lies inside [0, limit). */
  boolean inside(long limit) {
    return fits() && Long.compareUnsigned(end(), limit) <= 0;
  }

  /** True when this range lies inside {@code outer}. */
  boolean inside(Span outer) {
    return fits() && outer.fits() && Long.compareUnsigned(start, outer.start) >= 0
        && Long.compareUnsigned(end(), outer.end()) <= 0;
  }

  /** True when both ranges are non-empty, fit, and share a byte. */
  boolean overlaps(Span other) {
    return length != 0 && other.length != 0 && fits() && other.fits()
        && Long.compareUnsigned(start, other.end()) < 0 && Long.compareUnsigned(other.start, end()) < 0;
  }

  @Override public String toString() {
    return "[" + Long.toUnsignedString(start) + ", " + (fits() ? Long.toUnsignedString(end()) : "overflow") + ")";
  }
}
