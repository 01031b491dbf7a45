package dev.daxfs.format;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes the base region while the writer fills it, so the image digest costs no second pass over
 * the image. The writer reaches the base region in increasing offset order; bytes it never writes
 * (padding, holes) are hashed as the zeros they read back as. Hashing runs on its own thread, in
 * the order of the writes, so it overlaps the copying on a second core.
 */
final class DigestingSink implements ImageSink, AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private static final int BUFFERS = 4;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16).asReadOnlyBuffer();

  private final ImageSink out;
  private final ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "image-digest");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
  private Future<?> pending;

  // Touched only on the hasher thread.
  private final MessageDigest md = ImageDigest.sha256();
  private final long baseEnd;
  private long hashed;

  DigestingSink(ImageSink out, Superblock sb) {
    this.out = out;
    // The writer leaves the superblock block's tail zero.
    md.update(DigestedBytes.header(sb, new byte[DigestedBytes.TAIL]));
    this.hashed = sb.baseOffset();
    this.baseEnd = Math.addExact(sb.baseOffset(), sb.baseSize());
    for (int i = 0; i < BUFFERS; i++) {
      free.add(ByteBuffer.allocateDirect(CHUNK));
    }
  }

  @Override public void write(long position, ByteBuffer src) throws IOException {
    // The caller may reuse its buffer once this returns: the hasher gets a copy.
    ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src.duplicate()).flip();
    submit(() -> hash(position, copy));
    out.write(position, src);
  }

  @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
      throws IOException {
    // Read once into a pooled buffer, hash it on the other thread, write it: cheaper than a kernel
    // copy followed by re-reading the image for the digest.
    long done = 0;
    while (done < count) {
      ByteBuffer buffer = take();
      buffer.clear().limit((int) Math.min(CHUNK, count - done));
      while (buffer.hasRemaining()) {
        int n = src.read(buffer, srcPosition + done + buffer.position());
        if (n < 0) {
          free.add(buffer);
          throw new EOFException("source ended after " + (done + buffer.position()) + " of " + count + " bytes");
        }
      }
      buffer.flip();
      long at = position + done;
      ByteBuffer view = buffer.duplicate();
      submit(() -> {
        try {
          hash(at, view);
        } finally {
          free.add(buffer);
        }
      });
      int n = buffer.remaining();
      out.write(at, buffer.duplicate());
      done += n;
    }
  }

  /** The digest, once everything is written: the rest of the base region is zeros. */
  ImageDigest finish() throws IOException {
    submit(() -> {
      zeros(baseEnd - hashed);
      hashed = baseEnd;
    });
    await();
    return ImageDigest.of(md.digest());
  }

  @Override public void close() { hasher.shutdownNow(); }

  private ByteBuffer take() throws IOException {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the image");
    }
  }

  /** Queues work after the previous task, surfacing a failure of the previous one first. */
  private void submit(Runnable task) throws IOException {
    if (pending != null && pending.isDone()) {
      await();
    }
    pending = hasher.submit(task);
  }

  private void await() throws IOException {
    if (pending == null) {
      return;
    }
    try {
      pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing the image");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("hashing the image failed", e.getCause());
    }
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
