package dev.daxfs.mkfs;

import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageSink;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * An ImageSink that hashes what a Content would write, so any content source can be hashed. The
 * read buffer is one per thread: a direct buffer per hashed file is only freed by a garbage
 * collection, which a large heap may not need for a long time (5 GB of them on 57,000 files).
 */
final class DigestSink implements ImageSink {
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 17));

  private final MessageDigest digest = ImageDigest.sha256();

  /** The digest of everything written since the last call. */
  byte[] finish() { return digest.digest(); }

  @Override public void write(long position, ByteBuffer src) {
    digest.update(src);
  }

  @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
      throws IOException {
    ByteBuffer buffer = BUFFER.get();
    long done = 0;
    while (done < count) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
      int n = src.read(buffer, srcPosition + done);
      if (n < 0) {
        throw new EOFException("source ended after " + done + " of " + count + " bytes");
      }
      digest.update(buffer.flip());
      done += n;
    }
  }
}
