package dev.daxfs.mkfs;

import dev.daxfs.nativemem.FileType;
import dev.daxfs.nativemem.InputFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The archive files (-t FILE, --layer) of one run, each opened once and kept open until the
 * image is written: the members of an uncompressed archive in a regular file are read from it
 * in place. Whether it is a regular file is asked of the open file (fstat), not of its path.
 * A FIFO, a pipe or a device is read as a stream from that same descriptor, as stdin is, and
 * closed once read.
 */
final class ArchiveFiles implements Closeable {
  private final List<AutoCloseable> open = new ArrayList<>();

  TarReader open(Path path) throws IOException {
    String name = path.toString();
    InputFile file;
    try {
      file = InputFile.openWaiting(path);
    } catch (NoSuchFileException e) {
      throw new InputException(name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InputException(name + ": permission denied");
    } catch (IOException e) {
      throw new InputException(name + ": cannot read: " + e.getMessage(), e);
    }
    open.add(file);
    if (file.type() == FileType.DIRECTORY) {
      throw new InputException(name + ": is a directory, not an archive (use -d for directories)");
    }
    if (file.type() != FileType.REGULAR) {
      return TarReader.open(stream(file), name);
    }
    FileChannel channel;
    try {
      // A channel on this very open file (through /proc/self/fd): positional reads from any thread.
      channel = file.channel();
    } catch (IOException e) {
      throw new InputException(name + ": cannot read: " + e.getMessage(), e);
    }
    open.add(channel);
    return TarReader.open(channel, name);
  }

  /** Reads where the descriptor stands: a FIFO whose writer is gone cannot be opened again. */
  private static InputStream stream(InputFile file) {
    return new InputStream() {
      private final MemorySegment buffer = Arena.ofAuto().allocate(1 << 16);

      @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override public void close() throws IOException {
        file.close();
      }

      @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n = (int) file.read(buffer.asSlice(0, Math.min(len, buffer.byteSize())));
        if (n == 0) {
          return -1;
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, n);
        return n;
      }
    };
  }

  @Override public void close() {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Only read from; nothing to lose.
      }
    }
  }
}
