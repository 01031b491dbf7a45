package dev.daxfs.mkfs;

import dev.daxfs.nativemem.BytePath;
import dev.daxfs.nativemem.OpenDirectory;
import dev.daxfs.nativemem.SystemCallException;

/**
 * Opens the directory of a source file again, checked to be the one scanned. Inside a
 * {@link #hold()} scope the thread keeps the last one open for the next file: the image is written
 * in inode order, so the files of one directory come one after another, and opening it by its
 * path for each of them cost an open, an fstat and a close per file (a third of the system calls
 * of copying a small file). Files are still opened relative to the checked directory, without
 * following a symlink, and checked against the scan one by one.
 */
final class SourceDirectories {
  private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

  private SourceDirectories() {}

  private static final class Held {
    SourceDirectory dir;
    OpenDirectory open;
  }

  /** A scope of the calling thread; closing it closes the directory held. */
  interface Scope extends AutoCloseable {
    @Override void close();
  }

  /** Until the scope is closed, this thread keeps the directory of the last file it read open. */
  static Scope hold() {
    Held held = new Held();
    HELD.set(held);
    return () -> {
      HELD.remove();
      closeQuietly(held.open);
    };
  }

  /** The directory {@code dir} names, if it is still the one scanned; close the lease after use. */
  static Lease open(SourceDirectory dir) throws SystemCallException, InputException {
    Held held = HELD.get();
    if (held != null && held.open != null && held.dir.equals(dir)) {
      return new Lease(held.open, false);
    }
    OpenDirectory d = OpenDirectory.open(BytePath.of(dir.path()));
    boolean checked = false;
    try {
      if (!d.is(dir.device(), dir.inode())) {
        throw new InputException(dir.path() + ": replaced after the scan (not the directory that was read)");
      }
      checked = true;
    } finally {
      if (!checked) {
        closeQuietly(d);
      }
    }
    if (held == null) {
      return new Lease(d, true);
    }
    closeQuietly(held.open);
    held.dir = dir;
    held.open = d;
    return new Lease(d, false);
  }

  /** An open directory; closing it closes the directory unless a scope holds it. */
  record Lease(OpenDirectory directory, boolean owned) implements AutoCloseable {
    @Override public void close() throws SystemCallException {
      if (owned) {
        directory.close();
      }
    }
  }

  private static void closeQuietly(OpenDirectory d) {
    if (d == null) {
      return;
    }
    try {
      d.close();
    } catch (SystemCallException e) {
      // Only read from; nothing to lose.
    }
  }
}
