package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageSink;
import dev.daxfs.format.Names;
import dev.daxfs.nativemem.Errno;
import dev.daxfs.nativemem.FileType;
import dev.daxfs.nativemem.InputFile;
import dev.daxfs.nativemem.SystemCallException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A regular file of a scanned directory: its directory, its name (the node's own name array) and
 * which file it was (device, inode), so a million-file tree stays small in memory. The tree may
 * change between the scan and the read, so the file is opened relative to its directory (itself
 * checked to be the one scanned), without following a symlink and without blocking, and it must
 * still be the regular file of the size scanned; anything else is an InputException naming the path.
 */
record SourceFile(SourceDirectory dir, byte[] name, long device, long inode) implements Content {
  private static final int ELOOP = 40;
  private static final int ENOTDIR = 20;

  String path() { return dir.path() + "/" + Names.text(name); }

  /** The file, checked to be what the scan saw. */
  InputFile open(long size) throws InputException {
    InputFile file = null;
    try (SourceDirectories.Lease d = SourceDirectories.open(dir)) {
      file = d.directory().openFile(name);
      if (file.type() != FileType.REGULAR) {
        throw new InputException(path() + ": replaced after the scan by a " + file.type().text());
      }
      if (file.device() != device || file.inode() != inode) {
        throw new InputException(path() + ": replaced after the scan by another file");
      }
      if (file.size() != size) {
        throw changed(size, file.size());
      }
      InputFile checked = file;
      file = null;
      return checked;
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENOENT -> new InputException(path() + ": vanished after the scan (no such file)");
        case ELOOP -> new InputException(path() + ": replaced after the scan by a symlink");
        case ENOTDIR -> new InputException(dir.path() + ": replaced after the scan (no longer a directory)");
        case Errno.EACCES, Errno.EPERM -> new InputException(e.target() + ": permission denied");
        default -> new InputException(e.target() + ": cannot read: " + e.getMessage(), e);
      };
    } finally {
      if (file != null) {
        try {
          file.close();
        } catch (SystemCallException e) {
          // Only read from; nothing to lose.
        }
      }
    }
  }

  @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
    try (InputFile file = open(size)) {
      if (size <= SmallFiles.LIMIT) {
        ByteBuffer bytes = SmallFiles.read(file, size);
        if (bytes.remaining() != size) {
          throw changed(size, bytes.remaining());
        }
        sink.write(position, bytes);
        return;
      }
      try (FileChannel ch = file.channel()) {
        try {
          sink.transferFrom(ch, 0, size, position);
        } catch (EOFException e) {
          throw changed(size, ch.size());
        } catch (IOException e) {
          throw new IOException(path() + ": copying into the image: " + e.getMessage(), e);
        }
        if (ch.size() != size) {
          throw changed(size, ch.size());
        }
      }
    }
  }

  private InputException changed(long expected, long found) {
    return new InputException(path() + ": changed size while being read (" + expected + " bytes when scanned, "
        + found + " now)");
  }
}
