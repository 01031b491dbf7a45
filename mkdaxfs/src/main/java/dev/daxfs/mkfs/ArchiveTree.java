package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.Names;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The tree that tar archives extract to, built in memory in archive order as tar extraction
 * would: a later entry for a path replaces the earlier one (directories keep their contents),
 * missing parents are created (0755, root), hard links share the earlier file's extent. Paths
 * stay inside the root: leading '/' is dropped and '..' is refused, naming the entry.
 *
 * <p>Layers (--layer) are applied one after another with OCI whiteouts: {@code .wh.NAME} removes
 * NAME of the layers below, {@code .wh..wh..opq} hides everything the layers below put in its
 * directory. Each node remembers the layer that last wrote it, to tell "below" from "this layer".
 */
final class ArchiveTree {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  /** Names are kept as ISO-8859-1 strings: one char per byte, so any name bytes round-trip. */
  private static final class Dir {
    int mode;
    int uid;
    int gid;
    int layer;
    final Map<String, Object> children = new HashMap<>();

    Dir(int mode, int uid, int gid, int layer) {
      this.mode = mode;
      this.uid = uid;
      this.gid = gid;
      this.layer = layer;
    }
  }

  /** A file or symlink and the layer that wrote it. */
  private record Leaf(Node node, int layer) {}

  private final Ownership owners;
  private final SpecialFiles specials;
  private final Dir root;
  private int layer;

  ArchiveTree(Ownership owners, SpecialFiles specials) {
    this.owners = owners;
    this.specials = specials;
    this.root = new Dir(0755, owners.uid(0), owners.gid(0), 0);
  }

  /**
   * Applies every entry of {@code tar}, spooling file data into {@code spool}; with
   * {@code whiteouts}, as a container image layer on top of what is there.
   */
  void apply(TarReader tar, Spool spool, boolean whiteouts, String archive) throws IOException {
    layer++;
    for (TarEntry e = tar.next(); e != null; e = tar.next()) {
      List<String> parts = components(e.path(), archive, e);
      if (parts.isEmpty()) {
        if (e.type() != TarEntry.DIRECTORY) {
          throw new InputException(archive + ": " + e.display() + ": the archive root must be a directory");
        }
        setAttributes(root, e);
        continue;
      }
      Dir parent = parentOf(parts, archive, e);
      String name = parts.getLast();
      if (whiteouts && name.startsWith(WHITEOUT)) {
        if (name.equals(OPAQUE)) {
          hideLowerLayers(parent);
        } else if (layerOf(parent.children.get(name.substring(WHITEOUT.length()))) < layer) {
          parent.children.remove(name.substring(WHITEOUT.length()));
        }
        continue;
      }
      switch (e.type()) {
        case TarEntry.DIRECTORY -> {
          if (parent.children.get(name) instanceof Dir d) {
            setAttributes(d, e);
          } else {
            parent.children.put(name, new Dir(e.mode(), owners.uid(e.uid()), owners.gid(e.gid()), layer));
          }
        }
        case TarEntry.REGULAR -> {
          Content data = tar.copyData(spool);
          put(parent, name, new Node.File(bytes(name), e.mode(), owners.uid(e.uid()), owners.gid(e.gid()),
              e.size(), data));
        }
        case TarEntry.HARD_LINK -> {
          Node.File target = linkTarget(e, archive);
          put(parent, name, new Node.File(bytes(name), target.mode(), target.uid(), target.gid(), target.size(),
              target.content()));
        }
        case TarEntry.SYMLINK -> put(parent, name, new Node.Symlink(bytes(name), e.mode(), owners.uid(e.uid()),
            owners.gid(e.gid()), e.link()));
        default -> {
          specials.found(archive + ": " + e.display(), specialMode(e.type()));
          parent.children.remove(name);
        }
      }
    }
  }

  private void put(Dir parent, String name, Node node) {
    parent.children.put(name, new Leaf(node, layer));
  }

  private void setAttributes(Dir d, TarEntry e) {
    d.mode = e.mode();
    d.uid = owners.uid(e.uid());
    d.gid = owners.gid(e.gid());
    d.layer = layer;
  }

  private static int specialMode(byte type) {
    return switch (type) {
      case TarEntry.CHAR_DEVICE -> Format.S_IFCHR;
      case TarEntry.BLOCK_DEVICE -> Format.S_IFBLK;
      default -> Format.S_IFIFO;
    };
  }

  private int layerOf(Object node) {
    return switch (node) {
      case null -> Integer.MAX_VALUE;
      case Dir d -> d.layer;
      case Leaf l -> l.layer;
      default -> throw new IllegalStateException();
    };
  }

  /** Removes, anywhere below {@code dir}, what layers below this one wrote. */
  private void hideLowerLayers(Dir dir) {
    Deque<Dir> work = new ArrayDeque<>();
    work.push(dir);
    while (!work.isEmpty()) {
      Iterator<Object> it = work.pop().children.values().iterator();
      while (it.hasNext()) {
        Object child = it.next();
        if (layerOf(child) < layer) {
          it.remove();
        } else if (child instanceof Dir d) {
          work.push(d);
        }
      }
    }
  }

  private Node.File linkTarget(TarEntry e, String archive) throws InputException {
    List<String> parts = components(e.link(), archive, e);
    Object node = root;
    for (String part : parts) {
      node = node instanceof Dir d ? d.children.get(part) : null;
    }
    if (node instanceof Leaf(Node.File f, int ignored)) {
      return f;
    }
    throw new InputException(archive + ": " + e.display() + ": hard link to "
        + Names.text(e.link()) + ", which is not an earlier regular file of the archive");
  }

  /** The directory that will hold the entry, creating missing ones (0755, root). */
  private Dir parentOf(List<String> parts, String archive, TarEntry e) throws InputException {
    Dir dir = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      Object child = dir.children.get(parts.get(i));
      if (child == null) {
        Dir created = new Dir(0755, owners.uid(0), owners.gid(0), layer);
        dir.children.put(parts.get(i), created);
        dir = created;
      } else if (child instanceof Dir d) {
        dir = d;
      } else {
        throw new InputException(archive + ": " + e.display() + ": " + Names.text(bytes(String.join("/", parts.subList(0, i + 1))))
            + " is not a directory in the archive");
      }
    }
    return dir;
  }

  /** The path's components, '.' and empty ones dropped; '..' and over-long names are refused. */
  private static List<String> components(byte[] path, String archive, TarEntry e) throws InputException {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length; i++) {
      if (i == path.length || path[i] == '/') {
        int len = i - start;
        if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
          throw new InputException(archive + ": " + e.display() + ": '..' in a path would leave the image root");
        }
        if (len > Format.NAME_MAX) {
          throw new InputException(archive + ": " + e.display() + ": name of " + len
              + " bytes is longer than the " + Format.NAME_MAX + " bytes DAXFS v3 can store");
        }
        if (len > 0 && !(len == 1 && path[start] == '.')) {
          parts.add(new String(path, start, len, StandardCharsets.ISO_8859_1));
        }
        start = i + 1;
      }
    }
    return parts;
  }

  private static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The finished tree, built without recursion (archives may nest very deep). */
  Node.Directory toNode() {
    record Frame(Dir dir, byte[] name, List<Node> built, Iterator<Map.Entry<String, Object>> next, Frame parent) {}
    Frame top = new Frame(root, new byte[0], new ArrayList<>(), root.children.entrySet().iterator(), null);
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(top);
    Node.Directory result = null;
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next.hasNext()) {
        Map.Entry<String, Object> child = f.next.next();
        switch (child.getValue()) {
          case Dir d -> stack.push(new Frame(d, bytes(child.getKey()), new ArrayList<>(),
              d.children.entrySet().iterator(), f));
          case Leaf l -> f.built.add(l.node);
          default -> throw new IllegalStateException();
        }
        continue;
      }
      stack.pop();
      Node.Directory node = new Node.Directory(f.name, f.dir.mode, f.dir.uid, f.dir.gid, f.built);
      if (f.parent == null) {
        result = node;
      } else {
        f.parent.built.add(node);
      }
    }
    return result;
  }
}
