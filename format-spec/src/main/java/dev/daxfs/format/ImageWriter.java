package dev.daxfs.format;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a planned image. Metadata is encoded in small buffers and written at its place; file
 * contents are streamed from their sources; padding and the empty branch table and delta region
 * are never written, so a file image is sparse.
 */
public final class ImageWriter {
  private static final int INODES_PER_CHUNK = 1024;
  /** Dirents are written in pieces this size: a directory of millions must not need one array. */
  static final int DIRENTS_PER_CHUNK = INODES_PER_CHUNK * Format.INODE_SIZE / Format.DIRENT_SIZE;

  /** Called after each regular file's contents are written, with the bytes written for it. */
  @FunctionalInterface
  public interface Progress {
    void fileWritten(long bytes);

    Progress NONE = bytes -> { };
  }

  private ImageWriter() {}

  /**
   * Writes the image into the empty file {@code out} and returns its digest, computed from the
   * bytes as they are written. The tools write into a native-memory OutputFile, which gives the
   * file its name only when complete.
   */
  public static ImageDigest write(ImageLayout layout, FileChannel out, Progress progress) throws IOException {
    ImageDigest digest;
    try (DigestingSink sink = new DigestingSink(ImageSink.of(out), layout.superblock())) {
      writeTo(layout, sink, progress);
      digest = sink.finish();
    }
    // Extending leaves the tail a hole; a file shorter than total_size would be refused by fsck.
    if (out.size() < layout.imageSize()) {
      out.write(ByteBuffer.allocate(1), layout.imageSize() - 1);
    }
    return digest;
  }

  /**
   * Writes the image to a new file {@code output} (truncating one that exists) and returns its
   * digest: for tests and fixtures, since it neither replaces atomically nor cleans up; tools
   * write through native-memory's OutputFile.
   */
  public static ImageDigest write(ImageLayout layout, Path output, Progress progress) throws IOException {
    try (FileChannel ch = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
      return write(layout, ch, progress);
    }
  }

  /**
   * Writes the image into memory (a mapped dma-buf or device) of at least imageSize() bytes. The
   * range [0, imageSize()) is zeroed first, since holes are not written.
   */
  public static void write(ImageLayout layout, MemorySegment memory, Progress progress) throws IOException {
    if (memory.byteSize() < layout.imageSize()) {
      throw new IOException("the image needs " + layout.imageSize() + " bytes but the memory has "
          + memory.byteSize());
    }
    memory.asSlice(0, layout.imageSize()).fill((byte) 0);
    writeTo(layout, ImageSink.of(memory), progress);
  }

  /** A directory's dirents, in chunks that reuse {@code chunk} (a dirent's unused bytes must be zero). */
  private static void writeDirents(ImageLayout layout, int[] kids, ImageSink sink, long at, byte[] chunk,
      MemorySegment chunkSeg) throws IOException {
    for (int first = 0; first < kids.length; first += DIRENTS_PER_CHUNK) {
      int n = Math.min(DIRENTS_PER_CHUNK, kids.length - first);
      java.util.Arrays.fill(chunk, 0, n * Format.DIRENT_SIZE, (byte) 0);
      for (int i = 0; i < n; i++) {
        Node child = layout.node(kids[first + i]);
        Dirent.encodeInto(chunkSeg, (long) i * Format.DIRENT_SIZE, kids[first + i], child.mode(), child.name());
      }
      sink.write(at + (long) first * Format.DIRENT_SIZE, ByteBuffer.wrap(chunk, 0, n * Format.DIRENT_SIZE));
    }
  }

  /** Writes every non-zero byte of the image into {@code sink}. */
  public static void writeTo(ImageLayout layout, ImageSink sink, Progress progress) throws IOException {
    Superblock sb = layout.superblock();
    BaseSuperblock bsb = layout.baseSuperblock();
    long base = sb.baseOffset();
    sink.write(0, ByteBuffer.wrap(sb.encode()));
    sink.write(base, ByteBuffer.wrap(bsb.encode()));

    int count = layout.inodeCount();
    byte[] chunk = new byte[INODES_PER_CHUNK * Format.INODE_SIZE];
    MemorySegment chunkSeg = MemorySegment.ofArray(chunk);
    for (int first = 1; first <= count; first += INODES_PER_CHUNK) {
      int n = Math.min(INODES_PER_CHUNK, count - first + 1);
      java.util.Arrays.fill(chunk, (byte) 0);
      for (int i = 0; i < n; i++) {
        layout.inode(first + i).encodeInto(chunkSeg, (long) i * Format.INODE_SIZE);
      }
      long at = base + bsb.inodeOffset() + (long) (first - 1) * Format.INODE_SIZE;
      sink.write(at, ByteBuffer.wrap(chunk, 0, n * Format.INODE_SIZE));
    }

    for (int ino = 1; ino <= count; ino++) {
      long at = base + layout.dataOffset(ino);
      switch (layout.node(ino)) {
        case Node.Directory d -> {
          writeDirents(layout, layout.childrenShared(ino), sink, at, chunk, chunkSeg);
        }
        case Node.Symlink s -> {
          byte[] target = java.util.Arrays.copyOf(s.target(), s.target().length + 1);
          sink.write(at, ByteBuffer.wrap(target));
        }
        case Node.File f -> {
          if (f.size() > 0 && !layout.sharesExtent(ino)) {
            f.content().copyTo(sink, at, f.size());
          }
          // A file sharing an extent (hard link, --dedupe) adds no bytes: dataBytes() counts each extent once.
          progress.fileWritten(layout.sharesExtent(ino) ? 0 : f.size());
        }
      }
    }
  }
}
