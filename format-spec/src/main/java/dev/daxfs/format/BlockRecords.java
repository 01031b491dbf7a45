package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
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

  private BlockRecords() {}

  /** Receives the records of a region in increasing block order. */
  @FunctionalInterface
  public interface Visitor {
    /** {@code bytes}: the block from its start to its last non-zero byte (1 to 4096 bytes). */
    void record(long index, MemorySegment bytes);
  }

  /**
   * The length of {@code block} up to and including its last non-zero byte; 0 when it is all zero.
   * At most 4096 bytes. The all-zero test is the JDK's vectorised compare; only a block with data
   * is scanned back.
   */
  public static int usedLength(MemorySegment block) {
    long first = block.mismatch(ZEROS.asSlice(0, block.byteSize()));
    if (first < 0) {
      return 0;
    }
    long end = block.byteSize();
    while (end - 8 >= first && block.get(JAVA_LONG_UNALIGNED, end - 8) == 0) {
      end -= 8;
    }
    while (block.get(JAVA_BYTE, end - 1) == 0) {
      end--;
    }
    return Math.toIntExact(end);
  }

  /** Hashes one record: the header, then {@code bytes} (which end with a non-zero byte). */
  public static void update(MessageDigest md, long index, MemorySegment bytes) {
    md.update(ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(index).putInt(Math.toIntExact(bytes.byteSize())).array());
    md.update(bytes.asByteBuffer());
  }

  /** Hands {@code block} (block {@code index}) to the visitor unless it is all zero. */
  static void visit(long index, MemorySegment block, Visitor visitor) {
    int used = usedLength(block);
    if (used > 0) {
      visitor.record(index, block.asSlice(0, used));
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
    MemorySegment all = image.segment();
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
        MemorySegment chunk = all.asSlice(c, n);
        for (long b = 0; b < n; b += BLOCK) {
          visit((c - start + b) / BLOCK, chunk.asSlice(b, Math.min(BLOCK, n - b)), visitor);
        }
        if (n == CHUNK) {
          image.scanned(chunk);
        }
        c += n;
      }
      at = last;
    }
  }
}
