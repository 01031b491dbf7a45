package dev.daxfs.format;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
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
 * (padding, holes) are zeros, which the digest's block records leave out, so they cost nothing
 * here. A block written in several pieces (inodes, dirents, small files) is assembled before it
 * is hashed; a whole block written at once is hashed where it is. Hashing runs on its own thread,
 * in the order of the writes, so it overlaps the copying on a second core.
 */
final class DigestingSink implements ImageSink, AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private static final int BUFFERS = 4;

  private final ImageSink out;
  private final ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "image-digest");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<Batch> freeBatches = new ArrayBlockingQueue<>(BUFFERS);
  /** Small writes not yet handed to the hasher (writer thread only). */
  private Batch batch;
  private Future<?> pending;

  // Touched only on the hasher thread.
  private final MessageDigest md = ImageDigest.sha256();
  private final long baseOffset;
  private final long baseEnd;
  private long hashed;
  /** The block being assembled from pieces (-1: none), zero where nothing was written yet. */
  private long assembling = -1;
  private final MemorySegment block = MemorySegment.ofArray(new byte[BlockRecords.BLOCK]);
  private final BlockRecords.Visitor hashRecord = this::record;

  DigestingSink(ImageSink out, Superblock sb) {
    this.out = out;
    // The writer leaves the superblock block's tail zero.
    md.update(DigestedBytes.header(sb, new byte[DigestedBytes.TAIL]));
    this.baseOffset = sb.baseOffset();
    this.hashed = baseOffset;
    this.baseEnd = Math.addExact(sb.baseOffset(), sb.baseSize());
    for (int i = 0; i < BUFFERS; i++) {
      free.add(ByteBuffer.allocateDirect(CHUNK));
      freeBatches.add(new Batch());
    }
  }

  /**
   * Small writes (inodes, dirents, small files), copied together and hashed as one task: a task
   * per write woke the hasher thread once per file (40,000 context switches for 50,000 files).
   */
  private static final class Batch {
    static final int BYTES = 1 << 18;
    static final int WRITES = 4096;
    final byte[] bytes = new byte[BYTES];
    final MemorySegment segment = MemorySegment.ofArray(bytes);
    final long[] positions = new long[WRITES];
    final int[] offsets = new int[WRITES];
    int count;
    int used;

    boolean fits(int n) { return count < WRITES && used + n <= BYTES; }
  }

  @Override public void write(long position, ByteBuffer src) throws IOException {
    // The caller may reuse its buffer once this returns: the hasher gets a copy.
    int n = src.remaining();
    if (n > Batch.BYTES / 4) {
      submitBatch();
      ByteBuffer copy = ByteBuffer.allocate(n).put(src.duplicate()).flip();
      submit(() -> hash(position, MemorySegment.ofBuffer(copy), 0, n));
    } else {
      if (batch != null && !batch.fits(n)) {
        submitBatch();
      }
      if (batch == null) {
        batch = take(freeBatches);
      }
      src.get(src.position(), batch.bytes, batch.used, n);
      batch.positions[batch.count] = position;
      batch.offsets[batch.count] = batch.used;
      batch.count++;
      batch.used += n;
    }
    out.write(position, src);
  }

  /** Hands the small writes gathered so far to the hasher, before anything written after them. */
  private void submitBatch() throws IOException {
    Batch b = batch;
    if (b == null || b.count == 0) {
      return;
    }
    batch = null;
    submit(() -> {
      try {
        for (int i = 0; i < b.count; i++) {
          int end = i + 1 < b.count ? b.offsets[i + 1] : b.used;
          hash(b.positions[i], b.segment, b.offsets[i], end - b.offsets[i]);
        }
      } finally {
        b.count = 0;
        b.used = 0;
        freeBatches.add(b);
      }
    });
  }

  @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position)
      throws IOException {
    // Read once into a pooled buffer, hash it on the other thread, write it: cheaper than a kernel
    // copy followed by re-reading the image for the digest.
    submitBatch();
    long done = 0;
    while (done < count) {
      ByteBuffer buffer = take(free);
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
          hash(at, MemorySegment.ofBuffer(view), 0, view.remaining());
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
    submitBatch();
    submit(this::flush);
    await();
    return ImageDigest.of(md.digest());
  }

  @Override public void close() { hasher.shutdownNow(); }

  private static <T> T take(BlockingQueue<T> pool) throws IOException {
    try {
      return pool.take();
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

  /** Hashes the {@code length} bytes at {@code srcOffset} of {@code src}, written at image offset {@code position}. */
  private void hash(long position, MemorySegment src, long srcOffset, long length) {
    long end = position + length;
    long from = Math.max(position, baseOffset);
    long to = Math.min(end, baseEnd);
    if (from >= to) {
      return; // before the base (image superblock) or after it
    }
    if (from < hashed) {
      throw new IllegalStateException("write at " + position + " goes back before " + hashed);
    }
    for (long at = from; at < to; ) {
      long index = (at - baseOffset) / BlockRecords.BLOCK;
      long blockStart = baseOffset + index * BlockRecords.BLOCK;
      long blockEnd = Math.min(blockStart + BlockRecords.BLOCK, baseEnd);
      long pieceEnd = Math.min(to, blockEnd);
      if (index != assembling) {
        flush();
      }
      if (at == blockStart && pieceEnd == blockEnd) {
        BlockRecords.visit(index, src, srcOffset + at - position, (int) (blockEnd - blockStart), hashRecord);
      } else {
        assembling = index;
        MemorySegment.copy(src, srcOffset + at - position, block, at - blockStart, pieceEnd - at);
      }
      at = pieceEnd;
    }
    hashed = to;
  }

  /** Hashes the block being assembled, if any, and clears it for the next. */
  private void flush() {
    if (assembling < 0) {
      return;
    }
    long length = Math.min(BlockRecords.BLOCK, baseEnd - (baseOffset + assembling * BlockRecords.BLOCK));
    BlockRecords.visit(assembling, block, 0, (int) length, hashRecord);
    block.fill((byte) 0);
    assembling = -1;
  }

  private void record(long index, MemorySegment segment, long offset, int length) {
    BlockRecords.update(md, index, segment, offset, length);
  }
}
