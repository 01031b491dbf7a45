package dev.daxfs.mkfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An archive file read front to back with positional reads, whose member data can be stepped
 * over without being read: the data is read once, when the image is written. Positional reads
 * leave the channel's position alone, which the image writer's copies share.
 */
final class ArchiveFileInput extends InputStream {
  private final FileChannel file;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
  /** The file offset just after what the buffer holds. */
  private long position;

  ArchiveFileInput(FileChannel file) {
    this.file = file;
  }

  @Override public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining()) {
      buffer.clear();
      int n = file.read(buffer, position);
      buffer.flip();
      if (n < 0) {
        return -1;
      }
      position += n;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  FileChannel file() { return file; }

  /** Steps over exactly {@code count} bytes (the caller checked that the file holds them). */
  void stepOver(long count) {
    if (count <= buffer.remaining()) {
      buffer.position(buffer.position() + (int) count);
    } else {
      position += count - buffer.remaining();
      buffer.position(buffer.limit());
    }
  }

  /** The channel stays open: the members read in place need it until the image is written. */
  @Override public void close() { }
}
