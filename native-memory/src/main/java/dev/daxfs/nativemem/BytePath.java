package dev.daxfs.nativemem;

import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file-system path as the kernel takes it: bytes, never decoded. java.nio.file can only name
 * files whose names decode in the platform's charset, but a name in an image is any bytes but '/'
 * and NUL; these calls create exactly the bytes they are given. Every call fails with a
 * {@link SystemCallException} naming the path.
 */
public final class BytePath {
  private final byte[] bytes;

  private BytePath(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The bytes the JDK passes to the kernel for {@code path} (encoded in the platform's file name charset). */
  public static BytePath of(Path path) {
    return new BytePath(path.toString().getBytes(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"),
        StandardCharsets.UTF_8)));
  }

  /** This path, a '/', and {@code name}: one component, with no '/' and no NUL in it. */
  public BytePath resolve(byte[] name) {
    for (byte b : name) {
      if (b == '/' || b == 0) {
        throw new IllegalArgumentException("'" + text(name) + "' is not a single file name");
      }
    }
    byte[] out = Arrays.copyOf(bytes, bytes.length + 1 + name.length);
    out[bytes.length] = '/';
    System.arraycopy(name, 0, out, bytes.length + 1, name.length);
    return new BytePath(out);
  }

  public void mkdir(int mode) throws SystemCallException {
    LibC.mkdir(bytes, mode, toString());
  }

  /** Creates this path as a symlink to {@code target} (any bytes but NUL). */
  public void symlink(byte[] target) throws SystemCallException {
    LibC.symlink(target, bytes, toString());
  }

  /** Sets the permission bits; follows a symlink, so it is for directories and files. */
  public void chmod(int mode) throws SystemCallException {
    LibC.chmod(bytes, mode, toString());
  }

  /** Sets the owner of this path itself, a symlink included. */
  public void lchown(int uid, int gid) throws SystemCallException {
    LibC.lchown(bytes, uid, gid, toString());
  }

  /** Creates a new file, never an existing one and never through a symlink, readable by its owner only. */
  public NewFile create() throws SystemCallException {
    int fd = LibC.open(bytes, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600,
        toString());
    return new NewFile(new Fd(fd, toString()));
  }

  /** A file just created: written at offsets (untouched ranges stay holes), then sized and closed. */
  public static final class NewFile implements AutoCloseable {
    private final Fd fd;

    private NewFile(Fd fd) {
      this.fd = fd;
    }

    public void write(MemorySegment data, long offset) throws SystemCallException {
      LibC.pwriteFully(fd.fd(), data, offset, fd.target());
    }

    public void setSize(long size) throws SystemCallException {
      LibC.ftruncate(fd.fd(), size, fd.target());
    }

    public void chmod(int mode) throws SystemCallException {
      LibC.fchmod(fd.fd(), mode, fd.target());
    }

    public void chown(int uid, int gid) throws SystemCallException {
      LibC.fchown(fd.fd(), uid, gid, fd.target());
    }

    @Override public void close() throws SystemCallException {
      fd.close();
    }
  }

  /**
   * For messages, on one line: UTF-8 where valid (U+FFFD where not), control characters as \xNN,
   * so that a name can neither split a message nor drive a terminal.
   */
  @Override public String toString() { return text(bytes); }

  private static String text(byte[] b) {
    String decoded = new String(b, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(decoded.length());
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
