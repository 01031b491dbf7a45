package dev.daxfs.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A view as lines in the kernel listings' style, without what the v3 kernel does not keep
 * (nlink, directory sizes): "MODE UID GID SIZE ino=N PATH [sha256=HEX]" ("-" for a directory's size).
 */
public final class Listing {
  private Listing() {}

  public static List<String> of(BranchView view) {
    List<String> out = new ArrayList<>();
    view.walk(view.root(), "/", (path, n) -> out.add(line(Modes.string(n.mode()), n.uid(), n.gid(), n.isDirectory() ? -1 : n.size(),
        n.ino(), path, n.isRegular() ? sha256(view, n) : null)));
    return out;
  }

  /** A kernel listing line ("MODE NLINK UID GID SIZE ino=N PATH [sha256=..]") in the same form. */
  public static String fromKernel(String kernelLine) {
    String[] f = kernelLine.split(" ");
    boolean dir = f[0].startsWith("d");
    return line(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), dir ? -1 : Long.parseLong(f[4]),
        Long.parseLong(f[5].substring(4)), f[6], f.length > 7 ? f[7].substring(7) : null);
  }

  static String line(String mode, int uid, int gid, long size, long ino, String path, String sha) {
    return mode + " " + uid + " " + gid + " " + (size < 0 ? "-" : size) + " ino=" + ino + " " + path
        + (sha == null ? "" : " sha256=" + sha);
  }

  static String sha256(BranchView view, ViewNode file) {
    try (InputStream in = view.open(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
