package dev.daxfs.nativemem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A new empty file that has no name: {@code open(dir, O_TMPFILE)}, so nothing of it is left in
 * {@code dir} however the process ends (SIGKILL, power loss). Where the file system refuses
 * O_TMPFILE, a named file deleted right after it is opened: its name exists for that moment only.
 */
public final class UnnamedFile {
  private static final int EISDIR = 21;
  private static final int EOPNOTSUPP = 95;

  private UnnamedFile() {}

  /** A read-write file in {@code dir}; {@code prefix} names it only where O_TMPFILE is refused. */
  public static FileChannel create(Path dir, String prefix) throws IOException {
    int flags;
    try {
      // Straight from the table, not LibC's constants: on an architecture it has no column for,
      // this throws here, before LibC is loaded.
      flags = (int) (CConstant.O_TMPFILE.value() | CConstant.O_RDWR.value() | CConstant.O_CLOEXEC.value());
    } catch (UnsupportedOperationException e) {
      return named(dir, prefix);
    }
    Fd fd = descriptor(dir, flags, dir.toString());
    if (fd == null) {
      return named(dir, prefix);
    }
    try (fd) {
      // A channel of its own on the same file; the descriptor the call returned is closed after.
      return FileChannel.open(Path.of("/proc/self/fd/" + fd.fd()), StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return named(dir, prefix);   // no /proc mounted
    }
  }

  /**
   * {@code open(dir, flags)} with O_TMPFILE among {@code flags}, or null where the file system
   * refuses O_TMPFILE: kernels before 3.11 say EISDIR (they see O_DIRECTORY only), some file
   * systems EOPNOTSUPP or EINVAL.
   */
  static Fd descriptor(Path dir, int flags, String label) throws SystemCallException {
    try {
      return new Fd(LibC.open(BytePath.of(dir).bytes(), flags, 0600, dir.toString()), label);
    } catch (SystemCallException e) {
      if (e.errno() == EOPNOTSUPP || e.errno() == EISDIR || e.errno() == Errno.EINVAL) {
        return null;
      }
      throw e;
    }
  }

  /** The fallback: a named file, deleted as soon as it is open. */
  static FileChannel named(Path dir, String prefix) throws IOException {
    Path file = Files.createTempFile(dir, prefix, ".tmp");
    try {
      return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } finally {
      Files.delete(file);
    }
  }
}
