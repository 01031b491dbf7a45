package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.Node;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A branch view as a tree for the image writer: directories, files (contents read from the
 * source image when written) and symlinks. Built without recursion: a pre-order list, then
 * nodes made from the last to the first, so every child exists before its directory.
 */
final class ViewTree {
  private ViewTree() {}

  /** One node of the walk. No path per item: on a tree a million directories deep those would take terabytes. */
  private record Item(byte[] name, ViewNode node, int parent) {}

  /** The tree; {@code skipped} receives the paths of what v3 cannot hold here (special files, repeated directories). */
  static Node.Directory of(BranchView view, List<String> skipped) {
    List<Item> order = new ArrayList<>();
    Set<ViewNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    order.add(new Item(new byte[0], view.root(), -1));
    seen.add(view.root());
    // A queue in list form: each directory's entries are appended after it, so parents precede children.
    for (int i = 0; i < order.size(); i++) {
      Item it = order.get(i);
      for (ViewEntry e : view.entries(it.node)) {
        ViewNode n = e.node();
        if (n.isDirectory() && !seen.add(n)) {
          skipped.add(path(order, i, e.name()) + " (a directory reached twice)");
        } else if (!n.isDirectory() && !n.isRegular() && !n.isSymlink()) {
          skipped.add(path(order, i, e.name()) + " (" + Modes.type(n.mode()) + ")");
        } else {
          order.add(new Item(e.name(), n, i));
        }
      }
    }
    List<List<Node>> children = new ArrayList<>(Collections.nCopies(order.size(), null));
    Node[] made = new Node[order.size()];
    for (int i = order.size() - 1; i >= 0; i--) {
      Item it = order.get(i);
      ViewNode n = it.node;
      made[i] = switch (n) {
        case ViewNode d when d.isDirectory() -> new Node.Directory(it.name, d.mode(), d.uid(), d.gid(),
            children.get(i) == null ? List.of() : children.get(i));
        case ViewNode l when l.isSymlink() -> new Node.Symlink(it.name, l.mode(), l.uid(), l.gid(), l.target());
        default -> new Node.File(it.name, n.mode(), n.uid(), n.gid(), n.size(), new ViewContent(view, n));
      };
      if (it.parent >= 0) {
        if (children.get(it.parent) == null) {
          children.set(it.parent, new ArrayList<>());
        }
        children.get(it.parent).add(made[i]);
      }
    }
    return (Node.Directory) made[0];
  }

  /** The path of {@code name} in the directory at index {@code dir} of the walk, for a message. */
  private static String path(List<Item> order, int dir, byte[] name) {
    List<String> parts = new ArrayList<>();
    parts.add(Names.text(name));
    for (int i = dir; i > 0; i = order.get(i).parent()) {
      parts.add(Names.text(order.get(i).name()));
    }
    Collections.reverse(parts);
    return "/" + String.join("/", parts);
  }
}
