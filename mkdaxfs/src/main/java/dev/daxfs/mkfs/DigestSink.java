package dev.daxfs.mkfs;

import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageSink;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/** An ImageSink that hashes what a Content would write, so any content source can be hashed. */
final class DigestSink implements ImageSink {
  private final MessageDigest digest = ImageDigest.sha256();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 17);

  /** The digest of everything written since the last call. */
  byte[] finish() { return digest.digest(); }

  @Override public void write(long position, ByteBuffer src) {
    digest.update(src);
  }

  @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
      throws IOException {
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
