package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian stores used by the encoders (the segments they fill are sized by the encoder). */
final class Encoding {
  private Encoding() {}

  static void putU16(MemorySegment s, long off, int v) { s.set(JAVA_SHORT_UNALIGNED, off, (short) v); }

  static void putU32(MemorySegment s, long off, int v) { s.set(JAVA_INT_UNALIGNED, off, v); }

  static void putU64(MemorySegment s, long off, long v) { s.set(JAVA_LONG_UNALIGNED, off, v); }

  /** One aligned 8-byte store, which another CPU sees whole (reclaim's last write in place). */
  static void putU64Aligned(MemorySegment s, long off, long v) { s.set(U64_ALIGNED, off, v); }

  private static final ValueLayout.OfLong U64_ALIGNED = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

  static void putBytes(MemorySegment s, long off, byte[] bytes) {
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, off, bytes.length);
  }
}
