package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSink;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file holding archive members' data until the image is written, so no member is
 * ever held in memory. Members start on 4096 boundaries (the gaps stay holes), which lets the
 * kernel copy them block-aligned into the image. Deleted on close.
 */
final class Spool implements Closeable {
  private final Path file;
  private final FileChannel channel;
  private long end;

  private Spool(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** A spool in {@code dir}: beside the output, so it is on the image's filesystem, not in RAM. */
  static Spool create(Path dir) throws IOException {
    Path file = Files.createTempFile(dir, ".mkdaxfs-", ".spool");
    try {
      return new Spool(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Starts a member; returns its offset. */
  long begin() {
    end = Format.alignUp(end);
    return end;
  }

  void append(byte[] bytes, int length) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    while (b.hasRemaining()) {
      end += channel.write(b, end);
    }
  }

  /** The member that began at {@code start}. */
  Content content(long start) {
    return new Member(channel, start);
  }

  /**
   * A member's bytes, read through the spool's one channel with positional reads (no file opened
   * per member; safe from several threads while hashing).
   */
  private record Member(FileChannel spool, long offset) implements Content {
    @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
      if (size <= SmallFiles.LIMIT) {
        ByteBuffer bytes = SmallFiles.read(spool, offset, size);
        if (bytes.remaining() < size) {
          throw new IOException("spool file: member at " + offset + " ends early");
        }
        sink.write(position, bytes.limit((int) size));
      } else {
        sink.transferFrom(spool, offset, size, position);
      }
    }
  }

  @Override public void close() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
