package dev.daxfs.nativemem;

/** An open file descriptor and what it was opened on; closing it twice is harmless. */
final class Fd implements AutoCloseable {
  private final int fd;
  private final String target;
  private boolean closed;

  Fd(int fd, String target) {
    this.fd = fd;
    this.target = target;
  }

  static Fd open(String path, int flags) throws SystemCallException {
    return new Fd(LibC.open(path, flags), path);
  }

  int fd() {
    if (closed) {
      throw new IllegalStateException(target + " is closed");
    }
    return fd;
  }

  String target() { return target; }

  /** As InputFile.nextData, which says why. */
  long nextData(long from, long end) throws SystemCallException {
    try {
      return Math.min(LibC.lseek(fd(), from, LibC.SEEK_DATA, target), end);
    } catch (SystemCallException e) {
      if (e.errno() == Errno.ENXIO) {
        return LibC.fstat(fd(), target).size() >= end ? end : from;
      }
      throw e;
    }
  }

  /** As InputFile.nextHole. */
  long nextHole(long from, long end) throws SystemCallException {
    try {
      return Math.min(LibC.lseek(fd(), from, LibC.SEEK_HOLE, target), end);
    } catch (SystemCallException e) {
      if (e.errno() == Errno.ENXIO) {
        return end;
      }
      throw e;
    }
  }

  @Override public void close() throws SystemCallException {
    if (!closed) {
      closed = true;
      LibC.close(fd, target);
    }
  }
}
