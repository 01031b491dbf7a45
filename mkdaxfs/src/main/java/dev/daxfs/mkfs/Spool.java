package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSink;
import dev.daxfs.format.SparseFile;
import dev.daxfs.nativemem.UnnamedFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A temporary file holding archive members' data until the image is written, so no member is
 * ever held in memory. It has no name (O_TMPFILE), so it is gone when mkdaxfs ends, however it
 * ends. Members start on 4096 boundaries and their aligned zero blocks are not written: the gaps
 * and the zeros stay holes, so an archive of zeros costs time, not disk.
 */
final class Spool implements Closeable {
  private static final ByteBuffer ONE_ZERO = ByteBuffer.allocate(1).asReadOnlyBuffer();

  private final FileChannel channel;
  private long end;

  private Spool(FileChannel channel) {
    this.channel = channel;
  }

  /** A spool in {@code dir}: beside the output, so it is on the image's filesystem, not in RAM. */
  static Spool create(Path dir) throws IOException {
    return new Spool(UnnamedFile.create(dir, ".mkdaxfs-spool-"));
  }

  /** Starts a member; returns its offset. */
  long begin() {
    end = Format.alignUp(end);
    return end;
  }

  void append(byte[] bytes, int length) throws IOException {
    SparseFile.write(channel, end, ByteBuffer.wrap(bytes, 0, length));
    end += length;
  }

  /** The member that began at {@code start}; its zero tail, if unwritten, is made readable. */
  Content content(long start) throws IOException {
    if (end > start && channel.size() < end) {
      channel.write(ONE_ZERO.duplicate(), end - 1);
    }
    return new Member(channel, start);
  }

  /**
   * A member's bytes, read through the spool's one channel with positional reads (no file opened
   * per member; safe from several threads while hashing).
   */
  private record Member(FileChannel spool, long offset) implements Content {
    @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
      if (!SmallFiles.copy(spool, offset, size, sink, position)) {
        throw new IOException("spool file: member at " + offset + " ends early");
      }
    }
  }

  @Override public void close() throws IOException {
    channel.close();
  }
}
