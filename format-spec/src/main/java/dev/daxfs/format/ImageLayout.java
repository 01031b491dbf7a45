package dev.daxfs.format;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything of a tree goes in an image, before any byte is written: inode numbers in
 * depth-first pre-order from root = 1 (children by name bytes), then extents in inode order, each
 * starting on a 4096 boundary of the base image, exactly as the reference mkdaxfs lays them out.
 * Regular files whose contents are equal objects share the first one's extent.
 */
public final class ImageLayout {
  private final Node[] nodes;          // by ino - 1
  private final int[][] children;      // child inode numbers of each directory, by ino - 1 (null otherwise)
  private final long[] dataOffset;     // relative to the base, by ino - 1
  private final boolean[] sharesExtent;
  private final int[] nlink;
  private final Superblock superblock;
  private final BaseSuperblock baseSuperblock;
  private final long dataBytes;
  private final int directories;
  private final int files;
  private final int symlinks;
  private final int sharedFiles;

  private ImageLayout(Node[] nodes, int[][] children, long[] dataOffset, boolean[] sharesExtent, int[] nlink,
      Superblock superblock, BaseSuperblock baseSuperblock, long dataBytes, int directories, int files,
      int symlinks, int sharedFiles) {
    this.nodes = nodes;
    this.children = children;
    this.dataOffset = dataOffset;
    this.sharesExtent = sharesExtent;
    this.nlink = nlink;
    this.superblock = superblock;
    this.baseSuperblock = baseSuperblock;
    this.dataBytes = dataBytes;
    this.directories = directories;
    this.files = files;
    this.symlinks = symlinks;
    this.sharedFiles = sharedFiles;
  }

  /** Plans {@code root} as an image of kind {@code spec}; TreeException for what v3 cannot hold. */
  public static ImageLayout plan(Node.Directory root, ImageSpec spec) {
    List<Node> order = new ArrayList<>();
    List<int[]> kids = new ArrayList<>();
    // Parent index of each node in `order`: paths are built only for error messages, since
    // building every node's path would cost O(depth^2) on deep trees.
    IntList parents = new IntList();
    // Iterative pre-order: a 1,000,000-deep tree must not overflow the stack.
    record Frame(Node node, int parentIndex, int childSlot) {}
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, -1, -1));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      int index = order.size();
      if (index == Integer.MAX_VALUE - 1) {
        throw new TreeException(pathOf(order, parents, f.parentIndex), "more inodes than v3 can number");
      }
      order.add(f.node);
      parents.add(f.parentIndex);
      kids.add(null);
      if (f.parentIndex >= 0) {
        kids.get(f.parentIndex)[f.childSlot] = index + 1;
      }
      switch (f.node) {
        case Node.Directory d -> {
          Node[] sorted = d.children().toArray(new Node[0]);
          Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
          for (int i = 0; i < sorted.length; i++) {
            String problem = nameProblem(sorted[i].name());
            if (problem == null && i > 0 && Arrays.equals(sorted[i - 1].name(), sorted[i].name())) {
              problem = "duplicate name in one directory";
            }
            if (problem != null) {
              throw new TreeException(childPath(pathOf(order, parents, index), sorted[i].name()), problem);
            }
          }
          kids.set(index, new int[sorted.length]);
          for (int i = sorted.length - 1; i >= 0; i--) {
            stack.push(new Frame(sorted[i], index, i));
          }
        }
        case Node.Symlink s -> {
          if (s.target().length == 0 || s.target().length >= Format.BLOCK_SIZE) {
            throw new TreeException(pathOf(order, parents, index), "symlink target of " + s.target().length
                + " bytes (v3 needs 1.." + (Format.BLOCK_SIZE - 1) + ")");
          }
          for (byte x : s.target()) {
            if (x == 0) {
              throw new TreeException(pathOf(order, parents, index), "symlink target contains a NUL byte");
            }
          }
        }
        case Node.File file -> { }
      }
    }

    int count = order.size();
    Node[] nodes = order.toArray(new Node[0]);
    int[][] children = kids.toArray(new int[0][]);
    long[] dataOffset = new long[count];
    boolean[] shares = new boolean[count];
    int[] nlink = new int[count];
    Map<Content, long[]> extents = new HashMap<>();
    long cursor;
    long dataBytes = 0;
    int dirs = 0, files = 0, links = 0, shared = 0;
    try {
      long inodeOffset = Format.BLOCK_SIZE;
      long dataStart = Format.alignUp(Math.addExact(inodeOffset, Math.multiplyExact((long) count, Format.INODE_SIZE)));
      cursor = dataStart;
      for (int i = 0; i < count; i++) {
        switch (nodes[i]) {
          case Node.Directory d -> {
            dirs++;
            int sub = 0;
            for (int c : children[i]) {
              if (nodes[c - 1] instanceof Node.Directory) {
                sub++;
              }
            }
            nlink[i] = 2 + sub;
            long size = (long) children[i].length * Format.DIRENT_SIZE;
            if (size > 0) {
              dataOffset[i] = cursor;
              cursor = Math.addExact(cursor, Format.alignUp(size));
            }
          }
          case Node.File f -> {
            files++;
            nlink[i] = 1;
            long[] known = f.size() > 0 && f.content() != null ? extents.get(f.content()) : null;
            if (known != null) {
              if (known[1] != f.size()) {
                throw new TreeException(pathOf(order, parents, i), "shares contents with a file of "
                    + known[1] + " bytes but has " + f.size());
              }
              dataOffset[i] = known[0];
              shares[i] = true;
              shared++;
            } else {
              dataOffset[i] = cursor;
              if (f.size() > 0 && f.content() != null) {
                extents.put(f.content(), new long[] {cursor, f.size()});
              }
              cursor = Math.addExact(cursor, Format.alignUp(f.size()));
              dataBytes += f.size();
            }
          }
          case Node.Symlink s -> {
            links++;
            nlink[i] = 1;
            dataOffset[i] = cursor;
            cursor = Math.addExact(cursor, Format.alignUp(s.target().length + 1L));
          }
        }
      }
      BaseSuperblock base = new BaseSuperblock(Format.BASE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, cursor,
          inodeOffset, count, Format.ROOT_INO, dataStart);
      Superblock sb = superblock(spec, cursor, count);
      return new ImageLayout(nodes, children, dataOffset, shares, nlink, sb, base, dataBytes, dirs, files, links,
          shared);
    } catch (ArithmeticException e) {
      throw new TreeException("/", "the tree is too large for a 64-bit image");
    }
  }

  private static Superblock superblock(ImageSpec spec, long baseSize, int count) {
    long total;
    if (!spec.branching()) {
      long baseOffset = Format.BLOCK_SIZE;
      long natural = Math.addExact(baseOffset, baseSize);
      total = fixed(spec, natural);
      return new Superblock(Format.IMAGE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, total, baseOffset, baseSize,
          0, 0, 0, 0, count + 1L, 0, 0, 0);
    }
    long tableOffset = Format.BLOCK_SIZE;
    long baseOffset = Format.alignUp(tableOffset + Format.BRANCH_TABLE_SIZE);
    long deltaOffset = Format.alignUp(Math.addExact(baseOffset, baseSize));
    long deltaSize = spec.deltaSize();
    if (spec.fixedSize() != 0) {
      long needed = Math.addExact(deltaOffset, Format.KERNEL_LOG_CAPACITY);
      total = fixed(spec, needed);
      deltaSize = total - deltaOffset;
    } else {
      total = Math.addExact(deltaOffset, deltaSize);
    }
    return new Superblock(Format.IMAGE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, total, baseOffset, baseSize,
        tableOffset, Format.MAX_BRANCHES, 0, 0, 0, deltaOffset, deltaSize, 0).unmounted(count + 1L);
  }

  private static long fixed(ImageSpec spec, long needed) {
    if (spec.fixedSize() == 0) {
      return needed;
    }
    if (spec.fixedSize() < needed) {
      throw new TreeException("/", "the image needs " + needed + " bytes but the fixed size is "
          + spec.fixedSize());
    }
    return spec.fixedSize();
  }

  /** Why v3 cannot store this name, or null when it can. */
  private static String nameProblem(byte[] name) {
    if (name.length == 0) {
      return "empty name";
    }
    if (name.length > Format.NAME_MAX) {
      return "name of " + name.length + " bytes is longer than " + Format.NAME_MAX;
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return "name contains '/' or NUL";
      }
    }
    if ((name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
      return "'.' and '..' are not stored";
    }
    return null;
  }

  private static String childPath(String dir, byte[] name) {
    String n = Names.text(name);
    return dir.equals("/") ? "/" + n : dir + "/" + n;
  }

  /** The path of the node at {@code index} in pre-order, from its parent chain. */
  private static String pathOf(List<Node> order, IntList parents, int index) {
    if (index <= 0) {
      return "/";
    }
    List<String> parts = new ArrayList<>();
    for (int i = index; i > 0; i = parents.get(i)) {
      parts.add(Names.text(order.get(i).name()));
    }
    java.util.Collections.reverse(parts);
    return "/" + String.join("/", parts);
  }

  /** A growable int array: one int per node instead of a boxed Integer. */
  private static final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int get(int i) { return values[i]; }
  }

  public Superblock superblock() { return superblock; }

  public BaseSuperblock baseSuperblock() { return baseSuperblock; }

  public int inodeCount() { return nodes.length; }

  /** The node numbered {@code ino}. */
  public Node node(int ino) { return nodes[ino - 1]; }

  /** Inode numbers of a directory's children, in name order. */
  public int[] children(int ino) { return children[ino - 1].clone(); }

  int[] childrenShared(int ino) { return children[ino - 1]; }

  /** Base-relative data offset of inode {@code ino}. */
  public long dataOffset(int ino) { return dataOffset[ino - 1]; }

  /** True when this file's data is another file's extent (written once). */
  public boolean sharesExtent(int ino) { return sharesExtent[ino - 1]; }

  public int nlink(int ino) { return nlink[ino - 1]; }

  /** The inode as it will be stored. */
  public Inode inode(int ino) {
    Node n = nodes[ino - 1];
    long size = switch (n) {
      case Node.Directory d -> (long) children[ino - 1].length * Format.DIRENT_SIZE;
      case Node.File f -> f.size();
      case Node.Symlink s -> s.target().length;
    };
    return new Inode(ino, ino, n.mode(), n.uid(), n.gid(), size, dataOffset[ino - 1], nlink[ino - 1]);
  }

  public long imageSize() { return superblock.totalSize(); }

  /** Bytes of regular-file data written (shared extents counted once). */
  public long dataBytes() { return dataBytes; }

  public int directories() { return directories; }

  public int files() { return files; }

  public int symlinks() { return symlinks; }

  /** Regular files that reuse another file's extent. */
  public int sharedFiles() { return sharedFiles; }
}
