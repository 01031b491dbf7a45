package dev.daxfs.fuse;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.ViewNode;

/**
 * The node ids the kernel knows the view's nodes by: 1 is the root and any other node is its view
 * handle plus one (its base inode number, or a number for a node the logs made). An id therefore
 * costs no memory and means one node for the whole mount, even where the sealed view keeps no
 * node for it. A broken log can give two nodes one inode number: their handles still differ, and
 * the image's inode number goes only into st_ino.
 */
final class NodeIds {
  static final long ROOT = 1;

  private final BranchView view;
  private final ViewNode root;
  /** For "..": the id of the directory each directory was last found in (16 bytes a directory). */
  private final IdMap parents = new IdMap();

  NodeIds(BranchView view) {
    this.view = view;
    this.root = view.root();
  }

  /** The node of {@code id}, or null for an id this mount never gave out. */
  ViewNode node(long id) {
    if (id == ROOT) {
      return root;
    }
    return id > ROOT ? view.node(id - 1).orElse(null) : null;
  }

  /** The id of {@code node}, found in directory {@code parent}. */
  long id(ViewNode node, long parent) {
    if (node == root) {
      return ROOT;
    }
    long id = view.handle(node) + 1;
    if (node.isDirectory()) {
      parents.put(id, parent);
    }
    return id;
  }

  /** The id of the directory that holds directory {@code id} (the root holds itself). */
  long parent(long id) {
    long p = parents.get(id);
    return p == 0 ? ROOT : p;
  }
}
