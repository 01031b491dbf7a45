package dev.daxfs.format;

import java.util.Arrays;
import java.util.Map;

/** The entries of a directory the replay read or changed, as they stand once the view is sealed. */
final class ReplayedEntries implements Entries {
  private final byte[][] names;
  private final ViewNode[] nodes;
  private final long subdirectories;

  /** {@code entries} sorted by unsigned name bytes, as {@link ViewNode#newEntries} keeps them. */
  ReplayedEntries(Map<byte[], ViewNode> entries) {
    this.names = entries.keySet().toArray(byte[][]::new);
    this.nodes = entries.values().toArray(ViewNode[]::new);
    this.subdirectories = Arrays.stream(nodes).filter(ViewNode::isDirectory).count();
  }

  @Override public int size() { return names.length; }

  @Override public byte[] name(int i) { return names[i].clone(); }

  @Override public ViewNode node(int i) { return nodes[i]; }

  @Override public int find(byte[] name) {
    int i = Arrays.binarySearch(names, name, Arrays::compareUnsigned);
    return i >= 0 ? i : -1;
  }

  @Override public long subdirectories() { return subdirectories; }
}
