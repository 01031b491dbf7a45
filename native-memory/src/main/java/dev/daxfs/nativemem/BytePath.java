package dev.daxfs.nativemem;

import dev.daxfs.format.Names;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file-system path as the kernel takes it: bytes, never decoded. java.nio.file can only name
 * files whose names decode in the platform's charset, but a name in an image is any bytes but '/'
 * and NUL. Files are created through {@link OpenDirectory}, relative to a directory descriptor and
 * never through a symlink; no call here follows a path to change what it names.
 */
public final class BytePath {
  private final byte[] bytes;

  private BytePath(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The bytes {@code path} names. A Path listed from a directory keeps the name's bytes, but its
   * String is decoded in the platform's file name charset, with U+FFFD for what does not decode
   * (a Latin-1 name under UTF-8, any non-ASCII name in the C locale); its URI keeps every byte.
   */
  public static BytePath of(Path path) {
    String text = path.toString();
    if (text.indexOf('\uFFFD') < 0) {
      return new BytePath(text.getBytes(JNU));
    }
    byte[] uri = percentDecoded(path.toAbsolutePath().toUri().getRawPath());
    int end = uri.length;
    // toUri() appends a '/' to a directory's path.
    if (end > 1 && uri[end - 1] == '/') {
      end--;
    }
    return new BytePath(Arrays.copyOf(uri, end));
  }

  /** The bytes of the last component of {@code path}, exactly as the directory holds them. */
  public static byte[] fileName(Path path) {
    Path name = path.getFileName();
    String text = name == null ? "" : name.toString();
    if (text.indexOf('\uFFFD') < 0) {
      return text.getBytes(JNU);
    }
    byte[] all = of(path).bytes;
    int slash = all.length - 1;
    while (slash >= 0 && all[slash] != '/') {
      slash--;
    }
    return Arrays.copyOfRange(all, slash + 1, all.length);
  }

  byte[] bytes() { return bytes; }

  /** The target of this symlink, every byte of it. */
  public byte[] readlink() throws SystemCallException {
    return LibC.readlink(bytes, toString());
  }

  private static final Charset JNU =
      Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);

  private static byte[] percentDecoded(String raw) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        // URI path characters are ASCII; anything else was escaped.
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /** This path, a '/', and {@code name}: one component, with no '/' and no NUL in it. */
  public BytePath resolve(byte[] name) {
    for (byte b : name) {
      if (b == '/' || b == 0) {
        throw new IllegalArgumentException("'" + Names.text(name) + "' is not a single file name");
      }
    }
    byte[] out = Arrays.copyOf(bytes, bytes.length + 1 + name.length);
    out[bytes.length] = '/';
    System.arraycopy(name, 0, out, bytes.length + 1, name.length);
    return new BytePath(out);
  }

  /** A file just created: written at offsets (untouched ranges stay holes), then sized and closed. */
  public static final class NewFile implements AutoCloseable {
    private final Fd fd;

    NewFile(Fd fd) {
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

  /** For messages, on one line: as daxfs-inspect prints names ({@link Names#text}). */
  @Override public String toString() { return Names.text(bytes); }
}
