package dev.daxfs.mkfs;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.Inode;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Trees described the same way whether read from disk (lstat) or from an image (through the
 * codec): path -> "type mode uid gid payload", where payload is a file's SHA-256 or a link's
 * target. Two equal maps mean every path, mode, owner, byte and target matches.
 */
final class Trees {
  private Trees() {}

  static Map<String, String> ofImage(Path image) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (ImageFile f = ImageFile.open(image)) {
      BaseImage base = f.image().base();
      record Item(String path, Inode inode) {}
      Deque<Item> work = new ArrayDeque<>();
      work.push(new Item("/", base.inode(Format.ROOT_INO)));
      while (!work.isEmpty()) {
        Item it = work.pop();
        Inode n = it.inode;
        String payload = "";
        if (n.isDirectory()) {
          DirentArray d = base.dirents(n);
          for (long i = 0; i < d.count(); i++) {
            Dirent e = d.get(i);
            work.push(new Item((it.path.equals("/") ? "/" : it.path + "/") + e.nameString(), base.inode(e.ino())));
          }
        } else if (n.isRegular()) {
          payload = sha(base.data(n).toArray(ValueLayout.JAVA_BYTE));
        } else {
          payload = new String(base.symlinkTarget(n), StandardCharsets.UTF_8);
        }
        out.put(it.path, describe(n.mode(), n.uid(), n.gid(), payload));
      }
    }
    return out;
  }

  /** The data offset of the inode at {@code path} (to see which files share an extent). */
  static long dataOffset(Path image, String path) throws IOException {
    try (ImageFile f = ImageFile.open(image)) {
      BaseImage base = f.image().base();
      Inode n = base.inode(Format.ROOT_INO);
      for (String part : path.substring(1).split("/")) {
        DirentArray d = base.dirents(n);
        Inode next = null;
        for (long i = 0; i < d.count(); i++) {
          if (d.get(i).nameString().equals(part)) {
            next = base.inode(d.get(i).ino());
          }
        }
        if (next == null) {
          throw new IOException(path + " not in the image");
        }
        n = next;
      }
      return n.dataOffset();
    }
  }

  /** The tree at {@code root} as an image of it should hold (special files left out). */
  static Map<String, String> ofDirectory(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String payload;
        if (Format.isDirectory(mode)) {
          payload = "";
        } else if (Format.isRegular(mode)) {
          payload = sha(Files.readAllBytes(p));
        } else if (Format.isSymlink(mode)) {
          payload = Files.readSymbolicLink(p).toString();
        } else {
          continue;
        }
        String rel = root.relativize(p).toString();
        out.put("/" + rel, describe(mode, (Integer) a.get("uid"), (Integer) a.get("gid"), payload));
      }
    }
    return out;
  }

  static String describe(int mode, int uid, int gid, String payload) {
    return Integer.toOctalString(mode) + " " + uid + " " + gid + " " + payload;
  }

  static String sha(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A tree with what images must get right: nesting, an empty directory and file, sizes around
   * 4096, UTF-8 and 128-byte names, a path over 255 bytes (tar needs long-name headers for it),
   * symlinks, a hard-link pair, and owners other than root.
   */
  static Path sample(Path root) throws IOException {
    Files.createDirectories(root.resolve("etc/conf.d"));
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(root.resolve("etc/hostname"), "daxfs\n");
    Files.write(root.resolve("etc/conf.d/page"), new byte[4096]);
    byte[] big = new byte[10_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    Files.write(root.resolve("etc/big"), big);
    Files.createFile(root.resolve("emptyfile"));
    Files.writeString(root.resolve("grüße-日本"), "utf-8 name\n");
    Files.writeString(root.resolve("n".repeat(128)), "longest name\n");
    Path deep = root.resolve("d".repeat(100)).resolve("e".repeat(100)).resolve("f".repeat(60));
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("g".repeat(100)), "deep\n");
    Files.createSymbolicLink(root.resolve("etc/link"), Path.of("hostname"));
    Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc/hostname"));
    Files.writeString(root.resolve("hard1"), "hard linked\n");
    Files.createLink(root.resolve("etc/hard2"), root.resolve("hard1"));
    Files.setAttribute(root.resolve("etc/big"), "unix:uid", 1234);
    Files.setAttribute(root.resolve("etc/big"), "unix:gid", 5678);
    Files.setPosixFilePermissions(root.resolve("etc/hostname"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(root.resolve("emptyfile"), "unix:mode", 04755);
    return root;
  }
}
