package dev.daxfs.nativemem;

import java.io.IOException;

/**
 * A failed system call: which call, on what (a path, a device, an address), the errno and its
 * text, and, where the errno alone would mislead, what it means here.
 */
public final class SystemCallException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final String target;
  private final int errno;

  SystemCallException(String call, String target, int errno, String errnoText, String meaning) {
    super(call + " " + target + ": " + errnoText + (meaning == null ? "" : " (" + meaning + ")"));
    this.call = call;
    this.target = target;
    this.errno = errno;
  }

  /** The C function or system call that failed, e.g. {@code open} or {@code fsconfig(rw)}. */
  public String call() { return call; }

  /** The path, device or address the call was made on. */
  public String target() { return target; }

  public int errno() { return errno; }

  /** The same failure explained for the user: the errno text stays, the meaning is added. */
  SystemCallException explained(String meaning) {
    return new SystemCallException(call, target, errno, LibC.strerror(errno), meaning);
  }
}
