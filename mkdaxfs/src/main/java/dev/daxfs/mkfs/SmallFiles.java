package dev.daxfs.mkfs;

import dev.daxfs.format.ImageSink;
import dev.daxfs.nativemem.InputFile;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Small file contents go into the image with one read and one write through a per-thread
 * buffer: for them that is cheaper than copy_file_range plus the size checks around it, and most
 * files of a system tree are small. Larger ones are left to the kernel's copy.
 */
final class SmallFiles {
  static final int LIMIT = 1 << 16;
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(LIMIT + 1));
  private static final ThreadLocal<MemorySegment> SEGMENT =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LIMIT + 1, 4096));

  private SmallFiles() {}

  /**
   * Reads {@code size} (at most LIMIT) bytes at {@code from}, and one more if there is one, so a
   * file that grew shows as more than {@code size} bytes and one that shrank as fewer. Returns the
   * bytes read, ready to write; valid until this thread's next call.
   */
  static ByteBuffer read(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer b = BUFFER.get().clear().limit((int) size + 1);
    while (b.position() < size) {
      if (ch.read(b, from + b.position()) < 0) {
        break;
      }
    }
    return b.flip();
  }

  /**
   * Copies {@code size} bytes at {@code from} in {@code ch} to {@code position} in the image: a small
   * run with one read, a larger one by the kernel's copy. False when {@code ch} holds fewer bytes
   * there (the caller names what shrank).
   */
  static boolean copy(FileChannel ch, long from, long size, ImageSink sink, long position) throws IOException {
    if (size <= LIMIT) {
      ByteBuffer bytes = read(ch, from, size);
      if (bytes.remaining() < size) {
        return false;
      }
      sink.write(position, bytes.limit((int) size));
      return true;
    }
    try {
      sink.transferFrom(ch, from, size, position);
      return true;
    } catch (EOFException e) {
      return false;
    }
  }

  /** The same from the start of an open file; a failed read is an InputException naming the call and file. */
  static ByteBuffer read(InputFile file, long size) throws InputException {
    MemorySegment buffer = SEGMENT.get();
    long done = 0;
    try {
      // One read asks for size + 1 bytes: it returns them all unless the file ends first.
      while (done < size) {
        long n = file.read(buffer.asSlice(done, size + 1 - done), done);
        if (n == 0) {
          break;
        }
        done += n;
      }
    } catch (dev.daxfs.nativemem.SystemCallException e) {
      throw new InputException(e.getMessage(), e);
    }
    return buffer.asSlice(0, done).asByteBuffer();
  }
}
