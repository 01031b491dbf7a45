package dev.daxfs.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * Hashes the base region while the writer fills it, so the image digest costs no second pass over
 * the image. The writer reaches the base region in increasing offset order; bytes it never writes
 * (padding, holes) are hashed as the zeros they read back as.
 */
final class DigestingSink implements ImageSink {
  private static final int CHUNK = 1 << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16).asReadOnlyBuffer();

  private final ImageSink out;
  private final MessageDigest md = ImageDigest.sha256();
  private final long baseEnd;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
  private long hashed;

  DigestingSink(ImageSink out, Superblock sb) {
    this.out = out;
    md.update(DigestedBytes.header(sb));
    this.hashed = sb.baseOffset();
    this.baseEnd = Math.addExact(sb.baseOffset(), sb.baseSize());
  }

  @Override public void write(long position, ByteBuffer src) throws IOException {
    hash(position, src.duplicate());
    out.write(position, src);
  }

  @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
      throws IOException {
    // Read once into our buffer, hash, write: cheaper than a kernel copy followed by re-reading it.
    long done = 0;
    while (done < count) {
      buffer.clear().limit((int) Math.min(CHUNK, count - done));
      while (buffer.hasRemaining()) {
        int n = src.read(buffer, srcPosition + done + buffer.position());
        if (n < 0) {
          throw new EOFException("source ended after " + (done + buffer.position()) + " of " + count + " bytes");
        }
      }
      buffer.flip();
      hash(position + done, buffer.duplicate());
      int n = buffer.remaining();
      out.write(position + done, buffer);
      done += n;
    }
  }

  /** The digest, once everything is written: the rest of the base region is zeros. */
  ImageDigest finish() {
    zeros(baseEnd - hashed);
    hashed = baseEnd;
    return ImageDigest.of(md.digest());
  }

  private void hash(long position, ByteBuffer data) {
    long end = position + data.remaining();
    if (end <= hashed || position >= baseEnd) {
      if (end > hashed && position < hashed) {
        throw new IllegalStateException("write at " + position + " goes back before " + hashed);
      }
      return; // before the base (image superblock) or after it
    }
    if (position < hashed) {
      throw new IllegalStateException("write at " + position + " goes back before " + hashed);
    }
    zeros(position - hashed);
    long keep = Math.min(end, baseEnd) - position;
    data.limit(data.position() + (int) keep);
    md.update(data);
    hashed = position + keep;
  }

  private void zeros(long n) {
    for (long left = n; left > 0; ) {
      int step = (int) Math.min(left, ZEROS.capacity());
      md.update(ZEROS.duplicate().limit(step));
      left -= step;
    }
  }
}
