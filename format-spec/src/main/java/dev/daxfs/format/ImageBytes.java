package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * Checked little-endian access to an image held in any memory segment (a mapped file, a dma-buf,
 * device memory). Every read is bounds-checked before it happens, with arithmetic that cannot
 * overflow, and failures raise {@link FormatException} with the absolute offset.
 */
public final class ImageBytes {
  private final MemorySegment segment;
  private final Consumer<MemorySegment> release;
  private final DataRanges data;

  public ImageBytes(MemorySegment segment) {
    this(segment, piece -> {}, DataRanges.ALL);
  }

  /**
   * {@code release} is handed each piece a zero scan has read whole, so that a mapping the JDK
   * cannot unload (an mmap of our own) can give its pages back: a scan of gigabytes of padding
   * would otherwise leave all of them resident.
   */
  public ImageBytes(MemorySegment segment, Consumer<MemorySegment> release) {
    this(segment, release, DataRanges.ALL);
  }

  /**
   * {@code data} says where the image file has holes (lseek SEEK_DATA, SEEK_HOLE on the mapped file):
   * zero scans and the digest skip them unread, so a 1 TiB hole costs two system calls.
   */
  public ImageBytes(MemorySegment segment, Consumer<MemorySegment> release, DataRanges data) {
    // Reads are little-endian regardless of the host; the layouts here are native-order, so
    // big-endian hosts are refused rather than misread.
    if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("big-endian hosts are not supported");
    }
    this.segment = segment;
    this.release = release;
    this.data = data;
  }

  public static ImageBytes of(byte[] bytes) {
    return new ImageBytes(MemorySegment.ofArray(bytes));
  }

  public long size() { return segment.byteSize(); }

  public MemorySegment segment() { return segment; }

  /** True when [offset, offset+length) lies inside the image; false for negative or overflowing values. */
  public boolean contains(long offset, long length) {
    return offset >= 0 && length >= 0 && offset <= size() && length <= size() - offset;
  }

  /** Raises a FormatException unless [offset, offset+length) lies inside the image. */
  public void require(long offset, long length, String structure) {
    if (!contains(offset, length)) {
      throw new FormatException(structure, offset,
          "needs " + Long.toUnsignedString(length) + " bytes at offset " + Long.toUnsignedString(offset)
              + " but the image has " + size() + " bytes");
    }
  }

  public int u8(long offset, String structure) {
    require(offset, 1, structure);
    return segment.get(JAVA_BYTE, offset) & 0xff;
  }

  public int u16(long offset, String structure) {
    require(offset, 2, structure);
    return segment.get(JAVA_SHORT_UNALIGNED, offset) & 0xffff;
  }

  /** A u32 field; callers treat the int as unsigned where it matters. */
  public int u32(long offset, String structure) {
    require(offset, 4, structure);
    return segment.get(JAVA_INT_UNALIGNED, offset);
  }

  /** A u64 field; values above Long.MAX_VALUE come back negative and fail every bounds check. */
  public long u64(long offset, String structure) {
    require(offset, 8, structure);
    return segment.get(JAVA_LONG_UNALIGNED, offset);
  }

  /** A copy of the bytes; callers bound {@code length} before asking (it is checked here too). */
  public byte[] bytes(long offset, long length, String structure) {
    require(offset, length, structure);
    if (length > Integer.MAX_VALUE - 8) {
      throw new FormatException(structure, offset, "length " + length + " too large to copy");
    }
    byte[] out = new byte[(int) length];
    MemorySegment.copy(segment, JAVA_BYTE, offset, out, 0, out.length);
    return out;
  }

  /** A view of part of the image, without copying. */
  public MemorySegment slice(long offset, long length, String structure) {
    require(offset, length, structure);
    return segment.asSlice(offset, length);
  }

  /** Index of the first zero byte in [offset, offset+limit), or -1; the range must be inside. */
  public long indexOfZero(long offset, long limit, String structure) {
    require(offset, limit, structure);
    for (long i = 0; i < limit; i++) {
      if (segment.get(JAVA_BYTE, offset + i) == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Zeros to compare against: a fixed size, so no scan allocates by a size the image gives; 1 MiB
   * chunks amortise unloading (64 KiB ones took 8 s, not 0.24 s, for 4 GiB of a sparse file). */
  private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[1 << 20]);

  /**
   * Absolute offset of the first non-zero byte of [offset, offset+length), or -1; the range must be
   * inside. Holes of the image file are skipped unread; the rest is compared chunk by chunk
   * against zeros (vectorised by the JDK), each whole chunk of a mapped file unmapped once
   * compared, so a long run of zeros does not grow the resident set.
   */
  public long firstNonZero(long offset, long length, String structure) {
    require(offset, length, structure);
    long end = offset + length;
    for (long at = nextData(offset, end); at < end; ) {
      long hole = nextHole(at, end);
      long found = firstNonZeroRead(at, hole);
      if (found >= 0) {
        return found;
      }
      at = nextData(hole, end);
    }
    return -1;
  }

  private long firstNonZeroRead(long offset, long end) {
    for (long at = offset; at < end; ) {
      long n = Math.min(ZEROS.byteSize(), end - at);
      MemorySegment chunk = segment.asSlice(at, n);
      long i = readable(at, n).mismatch(ZEROS.asSlice(0, n));
      if (n == ZEROS.byteSize()) {
        scanned(chunk);
      }
      if (i >= 0) {
        return at + i;
      }
      at += n;
    }
    return -1;
  }

  /**
   * The first offset of [from, end) that may hold data, or {@code end}: a hole of the image file is
   * skipped. Where holes cannot be asked for (memory, a failed lseek), everything may hold data.
   */
  public long nextData(long from, long end) {
    try {
      long d = data.nextData(from, end);
      return d < from ? from : Math.min(d, end);
    } catch (java.io.IOException e) {
      return from;
    }
  }

  /** The first offset of (from, end) in a hole of the image file, or {@code end}. */
  public long nextHole(long from, long end) {
    try {
      long h = data.nextHole(from, end);
      return h <= from ? end : Math.min(h, end);
    } catch (java.io.IOException e) {
      return end;
    }
  }

  /** Where native memory is copied to be compared, one piece at a time. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1 << 20]);

  /**
   * The {@code n} bytes at {@code offset} (at most 1 MiB, inside the image) where the JDK's
   * vectorised compare may read them. Native memory (a mapped file) is copied to the heap first: a
   * mapped file truncated meanwhile faults, and a fault inside that compare kills the JVM (SIGBUS
   * in a stub), while one in a copy is the InternalError the tools report as a shrunk image.
   */
  MemorySegment readable(long offset, long n) {
    if (!segment.isNative()) {
      return segment.asSlice(offset, n);
    }
    byte[] scratch = SCRATCH.get();
    MemorySegment.copy(segment, JAVA_BYTE, offset, scratch, 0, Math.toIntExact(n));
    return MemorySegment.ofArray(scratch).asSlice(0, n);
  }

  /** A piece read whole: a mapped file's pages are given back (the page cache keeps them). */
  void scanned(MemorySegment piece) {
    if (piece.isMapped()) {
      piece.unload();
    } else {
      release.accept(piece);
    }
  }

  /** True when every byte of the range is zero; the range must be inside. */
  public boolean isZero(long offset, long length, String structure) {
    require(offset, length, structure);
    long i = 0;
    for (; i + 8 <= length; i += 8) {
      if (segment.get(JAVA_LONG_UNALIGNED, offset + i) != 0) {
        return false;
      }
    }
    for (; i < length; i++) {
      if (segment.get(JAVA_BYTE, offset + i) != 0) {
        return false;
      }
    }
    return true;
  }
}
