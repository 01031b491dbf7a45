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

  @Override public void close() throws SystemCallException {
    if (!closed) {
      closed = true;
      LibC.close(fd, target);
    }
  }
}
