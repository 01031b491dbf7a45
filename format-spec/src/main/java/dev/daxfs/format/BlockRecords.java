package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.security.MessageDigest;

/**
 * Item 4 of the image digest (FORMAT.md, "Image digest"): the base region cut into 4096-byte
 * blocks counted from base_offset; each block holding a non-zero byte is one record, its index
 * (u64), the length up to and including its last non-zero byte (u32), then those bytes. Zero
 * blocks and trailing zeros add nothing to the hash, so padding and holes cost a scan at most
 * (nothing where a file's holes are known), never a hash.
 */
public final class BlockRecords {
  public static final int BLOCK = Format.BLOCK_SIZE;
  /** Bytes of a record before its data: index and length. */
  static final int HEADER = 12;
  /** Blocks are scanned this much at a time; a whole piece of a mapped file is then given back. */
  private static final long CHUNK = 1 << 20;
  private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[BLOCK]);
  /** A record is assembled here and hashed in one update: no object per block (millions of them). */
  private static final ThreadLocal<byte[]> RECORD = ThreadLocal.withInitial(() -> new byte[HEADER + BLOCK]);
  private static final java.lang.invoke.VarHandle U64 =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle U32 =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private BlockRecords() {}

  /** Receives the records of a region in increasing block order. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * Block {@code index}: its {@code length} bytes at {@code offset} of {@code segment} run from the
     * block's start to its last non-zero byte (1 to 4096). Offsets, not slices: no object per block.
     * The segment may be a scratch copy, valid during the call only.
     */
    void record(long index, MemorySegment segment, long offset, int length);
  }

  /**
   * The length of the {@code length} bytes at {@code offset} (at most 4096) up to and including the
   * last non-zero one; 0 when all are zero. The all-zero test is the JDK's vectorised compare; only
   * a block with data is scanned back.
   */
  public static int usedLength(MemorySegment segment, long offset, int length) {
    long first = MemorySegment.mismatch(segment, offset, offset + length, ZEROS, 0, length);
    if (first < 0) {
      return 0;
    }
    long end = offset + length;
    while (end - 8 >= offset + first && segment.get(JAVA_LONG_UNALIGNED, end - 8) == 0) {
      end -= 8;
    }
    while (segment.get(JAVA_BYTE, end - 1) == 0) {
      end--;
    }
    return (int) (end - offset);
  }

  /** Hashes one record: the header, then the {@code length} bytes at {@code offset} (ending with a non-zero one). */
  public static void update(MessageDigest md, long index, MemorySegment segment, long offset, int length) {
    byte[] record = RECORD.get();
    U64.set(record, 0, index);
    U32.set(record, 8, length);
    MemorySegment.copy(segment, JAVA_BYTE, offset, record, HEADER, length);
    md.update(record, 0, HEADER + length);
  }

  /** Hands block {@code index} ({@code length} bytes at {@code offset}) to the visitor unless it is all zero. */
  static void visit(long index, MemorySegment segment, long offset, int length, Visitor visitor) {
    int used = usedLength(segment, offset, length);
    if (used > 0) {
      visitor.record(index, segment, offset, used);
    }
  }

  /**
   * The records of the {@code size} bytes at {@code start} of {@code image}, block 0 at
   * {@code start}. Where the image is a file with holes, only the blocks that meet its data are
   * read, so a 1 TiB hole costs two lseeks.
   */
  static void walk(ImageBytes image, long start, long size, Visitor visitor) {
    image.require(start, size, "base image");
    long end = start + size;
    long at = start;
    while (at < end) {
      long data = image.nextData(at, end);
      if (data >= end) {
        return;
      }
      long hole = image.nextHole(data, end);
      long first = start + (data - start) / BLOCK * BLOCK;
      long last = hole >= end ? end : Math.min(end, start + Math.ceilDiv(hole - start, BLOCK) * BLOCK);
      for (long c = first; c < last; ) {
        long n = Math.min(CHUNK, last - c);
        MemorySegment read = image.readable(c, n);
        for (long b = 0; b < n; b += BLOCK) {
          visit((c - start + b) / BLOCK, read, b, (int) Math.min(BLOCK, n - b), visitor);
        }
        if (n == CHUNK) {
          image.scanned(image.segment().asSlice(c, n));
        }
        c += n;
      }
      at = last;
    }
  }
}
