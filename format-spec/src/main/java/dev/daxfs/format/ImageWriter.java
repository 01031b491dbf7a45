package dev.daxfs.format;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a planned image. Metadata is encoded in small buffers and written at its place; file
 * contents are streamed from their sources; padding and the empty branch table and delta region
 * are never written, so a file image is sparse. A file image is written to a temporary file beside
 * the output and renamed into place only when complete.
 */
public final class ImageWriter {
  private static final int INODES_PER_CHUNK = 1024;

  /** Called after each regular file's contents are written. */
  @FunctionalInterface
  public interface Progress {
    void fileWritten(long bytes);

    Progress NONE = bytes -> { };
  }

  private ImageWriter() {}

  /**
   * Writes the image to {@code output} atomically and returns its digest, computed from the bytes
   * as they are written; on failure nothing is left behind.
   */
  public static ImageDigest write(ImageLayout layout, Path output, Progress progress) throws IOException {
    Path abs = output.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean done = false;
    ImageDigest digest;
    try {
      try (RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
        raf.setLength(0);
        FileChannel ch = raf.getChannel();
        try (DigestingSink sink = new DigestingSink(ImageSink.of(ch), layout.superblock())) {
          writeTo(layout, sink, progress);
          digest = sink.finish();
        }
        // Extending leaves the tail a hole; a file shorter than total_size would be refused by fsck.
        raf.setLength(layout.imageSize());
      }
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    return digest;
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
          int[] kids = layout.childrenShared(ino);
          if (kids.length > 0) {
            byte[] dirents = new byte[kids.length * Format.DIRENT_SIZE];
            MemorySegment s = MemorySegment.ofArray(dirents);
            for (int i = 0; i < kids.length; i++) {
              Node child = layout.node(kids[i]);
              Dirent.encodeInto(s, (long) i * Format.DIRENT_SIZE, kids[i], child.mode(), child.name());
            }
            sink.write(at, ByteBuffer.wrap(dirents));
          }
        }
        case Node.Symlink s -> {
          byte[] target = java.util.Arrays.copyOf(s.target(), s.target().length + 1);
          sink.write(at, ByteBuffer.wrap(target));
        }
        case Node.File f -> {
          if (f.size() > 0 && !layout.sharesExtent(ino)) {
            f.content().copyTo(sink, at, f.size());
          }
          progress.fileWritten(f.size());
        }
      }
    }
  }
}
