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

  /**
   * A memory sink (a mapped dma-buf or device). The caller zeroes it first: holes are not written.
   * File data is read straight into the memory; where the source's file system pins the pages it
   * reads into (9p with cache=none, FUSE direct_io, O_DIRECT), device memory cannot be pinned and
   * the read fails (EFAULT, "Bad address"), so from the first failed read on, data goes through a
   * buffer in ordinary memory. A read that fails there too is a real error, named as a read.
   */
  static ImageSink of(MemorySegment memory) {
    return new ImageSink() {
      private static final int CHUNK = 1 << 20;
      private ByteBuffer bounce;

      @Override public void write(long position, ByteBuffer src) {
        int n = src.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, memory, position, n);
        src.position(src.limit());
      }

      @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
          throws IOException {
        long done = 0;
        while (done < count) {
          long chunk = Math.min(count - done, CHUNK);
          MemorySegment window = memory.asSlice(position + done, chunk);
          if (bounce == null) {
            try {
              readFully(src, window.asByteBuffer(), srcPosition + done, count);
              done += chunk;
              continue;
            } catch (EOFException e) {
              throw e;
            } catch (IOException e) {
              // Aligned, so that a source opened with O_DIRECT accepts it too.
              bounce = ByteBuffer.allocateDirect(CHUNK + 4096).alignedSlice(4096);
            }
          }
          ByteBuffer b = bounce.clear().limit((int) chunk);
          try {
            readFully(src, b, srcPosition + done, count);
          } catch (EOFException e) {
            throw e;
          } catch (IOException e) {
            throw new IOException("read at offset " + (srcPosition + done) + ": " + e.getMessage(), e);
          }
          MemorySegment.copy(MemorySegment.ofBuffer(b.flip()), 0, window, 0, chunk);
          done += chunk;
        }
      }

      private static void readFully(FileChannel src, ByteBuffer into, long at, long count) throws IOException {
        int start = into.position();
        while (into.hasRemaining()) {
          int n = src.read(into, at + into.position() - start);
          if (n < 0) {
            throw new EOFException("source ended before " + count + " bytes");
          }
        }
      }
    };
  }
}
