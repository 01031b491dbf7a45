package dev.daxfs.fuzz;

import dev.daxfs.format.Content;
import dev.daxfs.format.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Trees v3 can hold, from a stream of choices: every node kind, raw-byte and 128-byte names, holes
 * in nothing (v3 has none), empty files and directories, shared contents, any permission bits.
 * Bounded (at most {@link #MAX_NODES} nodes, depth {@link #MAX_DEPTH}); built without recursion.
 */
final class TreeGenerator {
  static final int MAX_NODES = 40;
  static final int MAX_DEPTH = 6;

  private static final byte[][] NAMES = {
      Node.name("a"), Node.name("file"), Node.name("dir"), Node.name("x.y"), Node.name("..a"), Node.name("..."),
      Node.name("é"), Node.name(" "), {(byte) 0xff, (byte) 0x80}, Node.name("a".repeat(128)), Node.name("-")};

  private TreeGenerator() {}

  private static final class Dir {
    final byte[] name;
    final int mode;
    final int uid;
    final int gid;
    final List<Object> children = new ArrayList<>();   // Node or Dir
    final Set<String> names = new HashSet<>();
    final int depth;

    Dir(byte[] name, int mode, int uid, int gid, int depth) {
      this.name = name;
      this.mode = mode;
      this.uid = uid;
      this.gid = gid;
      this.depth = depth;
    }
  }

  static Node.Directory generate(Choices c) {
    return generate(c, MAX_NODES);
  }

  /** A tree of at most {@code maxNodes} nodes. */
  static Node.Directory generate(Choices c, int maxNodes) {
    Dir root = new Dir(new byte[0], 0755, 0, 0, 0);
    List<Dir> open = new ArrayList<>(List.of(root));
    List<Content> contents = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    int nodes = 1;
    while (nodes < maxNodes && !open.isEmpty() && !c.exhausted()) {
      Dir parent = open.get(c.pick(open.size()));
      byte[] name = name(c, parent);
      if (name == null) {
        continue;
      }
      nodes++;
      int mode = c.pick(010000);
      int uid = c.chance(70) ? 0 : c.pick(70000);
      int gid = c.chance(70) ? 0 : c.pick(70000);
      switch (c.pick(parent.depth < MAX_DEPTH ? 4 : 3)) {
        case 0, 1 -> {
          if (!contents.isEmpty() && c.chance(15)) {
            int i = c.pick(contents.size());
            parent.children.add(new Node.File(name, mode, uid, gid, sizes.get(i), contents.get(i)));
          } else {
            byte[] data = c.chance(20) ? new byte[0] : c.bytes(c.chance(10) ? 9000 : 300);
            Content content = Content.of(data);
            contents.add(content);
            sizes.add((long) data.length);
            parent.children.add(new Node.File(name, mode, uid, gid, data.length, content));
          }
        }
        case 2 -> {
          byte[] target = c.bytes(200);
          for (int i = 0; i < target.length; i++) {
            target[i] = target[i] == 0 ? (byte) '/' : target[i];
          }
          parent.children.add(new Node.Symlink(name, mode, uid, gid, target.length == 0 ? Node.name("t") : target));
        }
        default -> {
          Dir d = new Dir(name, mode, uid, gid, parent.depth + 1);
          parent.children.add(d);
          open.add(d);
        }
      }
    }
    return build(root);
  }

  /** A name not yet used in {@code parent}, or null. */
  private static byte[] name(Choices c, Dir parent) {
    byte[] base = NAMES[c.pick(NAMES.length)];
    byte[] name = base.length < 120 && c.chance(50)
        ? (new String(base, java.nio.charset.StandardCharsets.ISO_8859_1) + c.pick(100))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
        : base;
    return parent.names.add(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1)) ? name : null;
  }

  /** Builds the immutable tree bottom-up without recursion. */
  private static Node.Directory build(Dir root) {
    List<Dir> order = new ArrayList<>();
    List<Dir> work = new ArrayList<>(List.of(root));
    while (!work.isEmpty()) {
      Dir d = work.removeLast();
      order.add(d);
      for (Object o : d.children) {
        if (o instanceof Dir sub) {
          work.add(sub);
        }
      }
    }
    java.util.Map<Dir, Node.Directory> built = new java.util.IdentityHashMap<>();
    for (Dir d : order.reversed()) {
      List<Node> kids = new ArrayList<>();
      for (Object o : d.children) {
        kids.add(o instanceof Dir sub ? built.get(sub) : (Node) o);
      }
      built.put(d, new Node.Directory(d.name, d.mode, d.uid, d.gid, kids));
    }
    return built.get(root);
  }
}
