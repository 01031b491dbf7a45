package dev.daxfs.format;

import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an image's base back into a {@link Node} tree (without recursion), for comparing what was
 * written with what was meant. Strict: a dirent whose mode differs from its inode's, an inode
 * reached twice or an unexpected type is an IllegalStateException.
 */
public final class TreeReader {
  private TreeReader() {}

  public static Node.Directory read(Image image) {
    BaseImage base = image.base();
    record Entry(int ino, byte[] name, int parent) {}
    List<Entry> order = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    Deque<Entry> stack = new ArrayDeque<>();
    stack.push(new Entry(base.superblock().rootInode(), new byte[0], -1));
    while (!stack.isEmpty()) {
      Entry e = stack.pop();
      if (!seen.add(e.ino())) {
        throw new IllegalStateException("inode " + e.ino() + " reached twice");
      }
      int index = order.size();
      order.add(e);
      Inode inode = base.inode(e.ino());
      if (inode.isDirectory()) {
        DirentArray dirents = base.dirents(inode);
        for (long i = dirents.count() - 1; i >= 0; i--) {
          Dirent d = dirents.get(i);
          if (base.inode(d.ino()).mode() != d.mode()) {
            throw new IllegalStateException("dirent at " + d.at() + " has mode " + d.mode() + ", its inode "
                + base.inode(d.ino()).mode());
          }
          stack.push(new Entry(d.ino(), d.name(), index));
        }
      }
    }
    // Build bottom-up: every child comes after its parent in pre-order.
    Node[] built = new Node[order.size()];
    List<List<Node>> kids = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      kids.add(new ArrayList<>());
    }
    for (int i = order.size() - 1; i >= 0; i--) {
      Entry e = order.get(i);
      Inode n = base.inode(e.ino());
      List<Node> children = kids.get(i).reversed();
      built[i] = switch (n.mode() & Format.S_IFMT) {
        case Format.S_IFDIR -> new Node.Directory(e.name(), n.mode(), n.uid(), n.gid(), children);
        case Format.S_IFREG -> new Node.File(e.name(), n.mode(), n.uid(), n.gid(), n.size(),
            Content.of(base.data(n).toArray(ValueLayout.JAVA_BYTE)));
        case Format.S_IFLNK -> new Node.Symlink(e.name(), n.mode(), n.uid(), n.gid(), base.symlinkTarget(n));
        default -> throw new IllegalStateException("inode " + e.ino() + " has mode 0" + Integer.toOctalString(n.mode()));
      };
      if (e.parent() >= 0) {
        kids.get(e.parent()).add(built[i]);
      }
    }
    return (Node.Directory) built[0];
  }

  /**
   * One line per entry, sorted: "PATH MODE UID GID SIZE EXTRA" separated by tabs, MODE in octal,
   * SIZE as stored (a directory's is its children x 144), EXTRA a file's sha256 (read through its
   * {@link Content}), a symlink's target or "-" for a directory: the format of
   * src/test/python/daxfs_read.py without its inode column. Names that are not UTF-8 show as
   * "hex:...". Two trees compare with a readable difference.
   */
  public static List<String> listing(Node.Directory root) {
    List<String> lines = new ArrayList<>();
    record Item(Node node, String path) {}
    Deque<Item> stack = new ArrayDeque<>();
    stack.push(new Item(root, "/"));
    while (!stack.isEmpty()) {
      Item it = stack.pop();
      Node n = it.node();
      String head = it.path() + "\t" + Integer.toOctalString(n.mode()) + "\t" + Integer.toUnsignedString(n.uid())
          + "\t" + Integer.toUnsignedString(n.gid()) + "\t";
      switch (n) {
        case Node.Directory d -> {
          lines.add(head + (long) d.children().size() * Format.DIRENT_SIZE + "\t-");
          for (Node c : d.children()) {
            stack.push(new Item(c, (it.path().equals("/") ? "" : it.path()) + "/" + hexIfNeeded(c.name())));
          }
        }
        case Node.File f -> lines.add(head + f.size() + "\t" + sha256(contentOf(f)));
        case Node.Symlink s -> lines.add(head + s.target().length + "\t" + hexIfNeeded(s.target()));
      }
    }
    lines.sort(null);
    return lines;
  }

  /** A file's bytes, read through its content source. */
  public static byte[] contentOf(Node.File f) {
    byte[] out = new byte[Math.toIntExact(f.size())];
    try {
      f.content().copyTo(ImageSink.of(java.lang.foreign.MemorySegment.ofArray(out)), 0, f.size());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  public static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String hexIfNeeded(byte[] b) {
    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
    return Arrays.equals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), b) ? s
        : "hex:" + java.util.HexFormat.of().formatHex(b);
  }
}
