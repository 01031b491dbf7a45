package dev.daxfs.mkfs;

import dev.daxfs.nativemem.FileType;
import dev.daxfs.nativemem.InputFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
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
 * A FIFO, a pipe or a device is read as a stream, as stdin is.
 */
final class ArchiveFiles implements Closeable {
  private final List<FileChannel> open = new ArrayList<>();

  TarReader open(Path path) throws IOException {
    String name = path.toString();
    FileChannel channel;
    FileType type;
    try (InputFile file = InputFile.openWaiting(path)) {
      type = file.type();
      if (type == FileType.DIRECTORY) {
        throw new InputException(name + ": is a directory, not an archive (use -d for directories)");
      }
      // A channel on this very open file (through /proc/self/fd), kept when this descriptor closes.
      channel = file.channel();
    } catch (NoSuchFileException e) {
      throw new InputException(name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InputException(name + ": permission denied");
    } catch (InputException e) {
      throw e;
    } catch (IOException e) {
      throw new InputException(name + ": cannot read: " + e.getMessage(), e);
    }
    open.add(channel);
    return type == FileType.REGULAR ? TarReader.open(channel, name) : TarReader.open(Channels.newInputStream(channel), name);
  }

  @Override public void close() {
    for (FileChannel c : open) {
      try {
        c.close();
      } catch (IOException e) {
        // Only read from; nothing to lose.
      }
    }
  }
}
