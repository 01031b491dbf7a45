package dev.daxfs.format;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tree to be written as a base image. Names are raw bytes (as Linux names are); {@code mode}
 * holds permission bits and, optionally, the type bits, which each kind sets itself. Children may
 * come in any order: the layout sorts them by their name bytes, so one tree gives one image.
 */
public sealed interface Node permits Node.Directory, Node.File, Node.Symlink {
  byte[] name();
  /** Full st_mode: type bits and permissions. */
  int mode();
  int uid();
  int gid();

  static byte[] name(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  record Directory(byte[] name, int mode, int uid, int gid, List<Node> children) implements Node {
    public Directory {
      mode = (mode & 07777) | Format.S_IFDIR;
      children = List.copyOf(children);
    }
  }

  /**
   * A regular file of {@code size} bytes. Files whose {@code content} objects are equal share
   * one data extent (hard links, deduplicated contents); they must then have equal sizes.
   */
  record File(byte[] name, int mode, int uid, int gid, long size, Content content) implements Node {
    public File {
      mode = (mode & 07777) | Format.S_IFREG;
      if (size < 0) {
        throw new IllegalArgumentException("negative size");
      }
      if (size > 0 && content == null) {
        throw new IllegalArgumentException("a file of " + size + " bytes needs a content source");
      }
    }
  }

  record Symlink(byte[] name, int mode, int uid, int gid, byte[] target) implements Node {
    public Symlink {
      mode = (mode & 07777) | Format.S_IFLNK;
    }
  }
}
