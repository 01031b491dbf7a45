package dev.daxfs.fuse;

import dev.daxfs.format.ViewNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node ids the kernel knows the view's nodes by. FUSE ids must be unique per node, but a
 * broken log can give two nodes one inode number, so ids are handed out here (1 is the root) and
 * the image's inode number goes only into st_ino. A node keeps its id for the whole mount.
 */
final class NodeIds {
  static final long ROOT = 1;

  private final List<ViewNode> nodes = new ArrayList<>();
  private final Map<ViewNode, Long> ids = new IdentityHashMap<>();
  /** The id of the directory a directory was first looked up in (for ".."). */
  private long[] parents = new long[64];

  NodeIds(ViewNode root) {
    nodes.add(root);
    ids.put(root, ROOT);
    parents[0] = ROOT;
  }

  /** The node of {@code id}, or null for an id this mount never gave out. */
  ViewNode node(long id) {
    return id >= 1 && id <= nodes.size() ? nodes.get((int) (id - 1)) : null;
  }

  /** The id of {@code node}, found in directory {@code parent}; a new id on first sight. */
  long id(ViewNode node, long parent) {
    Long id = ids.get(node);
    if (id != null) {
      return id;
    }
    nodes.add(node);
    long made = nodes.size();
    ids.put(node, made);
    if (made > parents.length) {
      parents = Arrays.copyOf(parents, parents.length * 2);
    }
    parents[(int) (made - 1)] = parent;
    return made;
  }

  /** The id of the directory that holds directory {@code id} (the root holds itself). */
  long parent(long id) {
    return parents[(int) (id - 1)];
  }
}
