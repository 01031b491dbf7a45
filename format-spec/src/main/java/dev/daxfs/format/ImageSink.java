package dev.daxfs.format;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where an image is written: a file (positional writes, holes left as holes) or memory. */
public interface ImageSink {

  /** Writes all of {@code src} at {@code position}. */
  void write(long position, ByteBuffer src) throws IOException;

  /** Copies {@code count} bytes of {@code src} from {@code srcPosition} to {@code position}. */
  void transferFrom(FileChannel src, long srcPosition, long count, long position) throws IOException;

  /**
   * A sink for a new (empty) file: bytes never written stay holes (the writer never writes zero
   * padding), and neither are aligned 4 KiB blocks of zeros in what is written (see SparseFile).
   * transferFrom is the kernel's copy and keeps no holes: the image writer reads, hashes and
   * writes instead.
   */
  static ImageSink of(FileChannel out) {
    return new ImageSink() {
      @Override public void write(long position, ByteBuffer src) throws IOException {
        SparseFile.write(out, position, src);
      }

      @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
          throws IOException {
        // Between two files the JDK uses copy_file_range, so the kernel copies (or reflinks).
        long done = 0;
        while (done < count) {
          src.position(srcPosition + done);
          long n = out.transferFrom(src, position + done, count - done);
          if (n <= 0) {
            throw new EOFException("source ended after " + done + " of " + count + " bytes");
          }
          done += n;
        }
      }
    };
  }

  /** A memory sink (a mapped dma-buf or device). The caller zeroes it first: holes are not written. */
  static ImageSink of(MemorySegment memory) {
    return new ImageSink() {
      @Override public void write(long position, ByteBuffer src) {
        int n = src.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, memory, position, n);
        src.position(src.limit());
      }

      @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
          throws IOException {
        long done = 0;
        while (done < count) {
          long chunk = Math.min(count - done, 1 << 20);
          ByteBuffer window = memory.asSlice(position + done, chunk).asByteBuffer();
          while (window.hasRemaining()) {
            int n = src.read(window, srcPosition + done + window.position());
            if (n < 0) {
              throw new EOFException("source ended after " + (done + window.position()) + " of " + count + " bytes");
            }
          }
          done += chunk;
        }
      }
    };
  }
}
