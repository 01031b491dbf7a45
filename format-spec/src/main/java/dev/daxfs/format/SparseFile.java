package dev.daxfs.format;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional writes that leave every file-aligned 4 KiB block of zeros unwritten, so it stays a
 * hole: a file full of zeros costs time, not disk. Only for a file that reads as zeros where it
 * was never written (new, or truncated to empty, and each range written at most once).
 */
public final class SparseFile {
  static final int BLOCK = 4096;
  private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[BLOCK]);

  private SparseFile() {}

  /** Writes the bytes of {@code src} at {@code position}, except aligned zero blocks; consumes src. */
  public static void write(FileChannel out, long position, ByteBuffer src) throws IOException {
    int length = src.remaining();
    int base = src.position();
    MemorySegment bytes = MemorySegment.ofBuffer(src);
    int pending = 0;   // start of the bytes not yet written
    int block = (int) Math.min(length, Math.floorMod(-position, BLOCK));
    for (; block + BLOCK <= length; block += BLOCK) {
      if (MemorySegment.mismatch(bytes, block, block + BLOCK, ZEROS, 0, BLOCK) == -1) {
        writeFully(out, position + pending, src.slice(base + pending, block - pending));
        pending = block + BLOCK;
      }
    }
    writeFully(out, position + pending, src.slice(base + pending, length - pending));
    src.position(src.limit());
  }

  private static void writeFully(FileChannel out, long position, ByteBuffer src) throws IOException {
    long p = position;
    while (src.hasRemaining()) {
      p += out.write(src, p);
    }
  }
}
