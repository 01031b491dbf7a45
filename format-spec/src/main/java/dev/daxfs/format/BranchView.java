package dev.daxfs.format;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The file-level view of a branch: the base image with the branch's logs applied (built by
 * {@link Replay}). Base inodes are read when first reached, and file contents stay in the image:
 * a file is a list of {@link Extent}s over base data, log write data and zeros.
 *
 * <p>Inode numbers map to nodes as the log means them: the newest node given a number wins, while
 * names keep referring to the node they were made for (so a number handed out twice, as the v3
 * kernel does in {@code main}, does not change what an older name shows).
 */
public final class BranchView {
  private final ImageBytes bytes;
  private final BaseImage base;        // null when the base cannot be read
  private final Consumer<ReplayProblem> problems;
  private final Map<Long, ViewNode> baseNodes = new HashMap<>();
  private final Set<Long> unreadable = new java.util.HashSet<>();
  private final Map<Long, ViewNode> numbered = new HashMap<>();
  private final ViewNode root;
  /**
   * Dirents left to read: in a valid base no two directories share dirent bytes, so all of them
   * together hold at most base_size/144; overlapping arrays in a hostile base cannot make more.
   */
  private long direntBudget;

  BranchView(Image image, Consumer<ReplayProblem> problems) {
    this.bytes = image.bytes();
    this.problems = problems;
    BaseImage b = null;
    try {
      b = image.base();
    } catch (FormatException e) {
      problems.accept(new ReplayProblem(e.offset(), -1, 0, 0, ReplayProblem.Kind.BASE_UNREADABLE, e.getMessage()));
    }
    this.base = b;
    this.direntBudget = b == null ? 0 : b.length() / Format.DIRENT_SIZE;
    ViewNode r = null;
    if (b != null) {
      long rootIno = Integer.toUnsignedLong(b.superblock().rootInode());
      r = baseNode(rootIno);
      if (r != null && !r.isDirectory()) {
        problems.accept(new ReplayProblem(b.start(), -1, 0, rootIno, ReplayProblem.Kind.BASE_UNREADABLE,
            "root inode " + rootIno + " is not a directory"));
        r = null;
      }
    }
    if (r == null) {
      r = new ViewNode(Format.ROOT_INO, Format.S_IFDIR | 0755, 0, 0, 0);
      numbered.put((long) Format.ROOT_INO, r);
    }
    this.root = r;
  }

  /** The image the extents point into. */
  public ImageBytes bytes() { return bytes; }

  public ViewNode root() { return root; }

  /**
   * The node an absolute or relative path names from the root ("" and "/" are the root); each part
   * is read by {@link Names#fromText}, so paths this view prints can be given back.
   */
  public Optional<ViewNode> lookup(String path) {
    ViewNode n = root;
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!n.isDirectory()) {
        return Optional.empty();
      }
      n = entriesOf(n).get(Names.fromText(part));
      if (n == null) {
        return Optional.empty();
      }
    }
    return Optional.of(n);
  }

  /** The node {@code name} (exact bytes) names in directory {@code dir}, without copying the directory. */
  public Optional<ViewNode> child(ViewNode dir, byte[] name) {
    return dir.isDirectory() ? Optional.ofNullable(entriesOf(dir).get(name)) : Optional.empty();
  }

  /** st_nlink as the tools show it: 1 for files and links (v3 logs no hard links); 2 plus subdirectories for a directory. */
  public long nlink(ViewNode n) {
    if (!n.isDirectory()) {
      return 1;
    }
    long subdirs = 0;
    for (ViewNode child : entriesOf(n).values()) {
      subdirs += child.isDirectory() ? 1 : 0;
    }
    return 2 + subdirs;
  }

  /** A directory's entries sorted by name bytes; empty for anything else. */
  public List<ViewEntry> entries(ViewNode dir) {
    if (!dir.isDirectory()) {
      return List.of();
    }
    List<ViewEntry> out = new ArrayList<>();
    entriesOf(dir).forEach((name, node) -> out.add(new ViewEntry(name.clone(), node)));
    return out;
  }

  /** Receives each node of a walk with its path. */
  @FunctionalInterface
  public interface Visitor {
    void visit(String path, ViewNode node);
  }

  /**
   * Walks {@code start} (named {@code path}) and everything under it, pre-order, without
   * recursion; a directory reached a second time (a cycle in a broken base) is not entered again.
   */
  public void walk(ViewNode start, String path, Visitor visitor) {
    record Item(String path, ViewNode node) {}
    Deque<Item> stack = new ArrayDeque<>();
    Set<ViewNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    stack.push(new Item(path, start));
    while (!stack.isEmpty()) {
      Item it = stack.pop();
      visitor.visit(it.path, it.node);
      if (!it.node.isDirectory() || !seen.add(it.node)) {
        continue;
      }
      List<ViewEntry> kids = entries(it.node);
      String prefix = it.path.endsWith("/") ? it.path : it.path + "/";
      for (int i = kids.size() - 1; i >= 0; i--) {
        ViewEntry e = kids.get(i);
        if (e.node().isDirectory() && seen.contains(e.node())) {
          problems.accept(new ReplayProblem(0, -1, 0, e.node().ino(), ReplayProblem.Kind.BASE_ENTRY_UNREADABLE,
              prefix + e.nameString() + ": directory reached twice (a cycle); not entered again"));
          continue;
        }
        stack.push(new Item(prefix + e.nameString(), e.node()));
      }
    }
  }

  /** A regular file's contents as runs covering [0, size), zeros included; empty for others. */
  public List<Extent> extents(ViewNode file) {
    if (!file.isRegular()) {
      return List.of();
    }
    List<Extent> out = new ArrayList<>();
    long pos = 0;
    for (Extent e : file.data == null ? List.<Extent>of() : file.data.values()) {
      if (e.offset() >= file.size) {
        break;
      }
      if (e.offset() > pos) {
        out.add(new Extent(pos, e.offset() - pos, Extent.ZEROS));
      }
      long len = Math.min(e.length(), file.size - e.offset());
      out.add(len == e.length() ? e : new Extent(e.offset(), len, e.source()));
      pos = e.offset() + len;
    }
    if (pos < file.size) {
      out.add(new Extent(pos, file.size - pos, Extent.ZEROS));
    }
    return out;
  }

  /** A stream of a regular file's bytes, read from the image as it is consumed. */
  public InputStream open(ViewNode file) {
    List<Extent> runs = extents(file);
    return new InputStream() {
      private int index;
      private long within;

      @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override public int read(byte[] b, int off, int len) {
        while (index < runs.size() && within == runs.get(index).length()) {
          index++;
          within = 0;
        }
        if (index == runs.size()) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        Extent e = runs.get(index);
        int n = (int) Math.min(len, e.length() - within);
        if (e.isZeros()) {
          java.util.Arrays.fill(b, off, off + n, (byte) 0);
        } else {
          java.lang.foreign.MemorySegment.copy(bytes.slice(e.source() + within, n, "file data"),
              ValueLayout.JAVA_BYTE, 0, b, off, n);
        }
        within += n;
        return n;
      }
    };
  }

  // ---- used by Replay ----

  /** The node an inode number means now, or null. */
  ViewNode inode(long ino) {
    ViewNode n = numbered.get(ino);
    return n != null ? n : baseNode(ino);
  }

  /** Gives {@code ino} to a new node; the previous holder (if any) keeps its names. */
  void number(long ino, ViewNode node, Journal journal) {
    ViewNode old = numbered.put(ino, node);
    journal.record(old == null ? () -> numbered.remove(ino) : () -> numbered.put(ino, old));
  }

  /** True when {@code ino} is a base inode number. */
  boolean isBaseNumber(long ino) {
    return base != null && ino >= 1 && Long.compareUnsigned(ino, base.inodeCount()) <= 0;
  }

  /** Nodes made so far (bounds walks up parent links). */
  int nodeCount() { return numbered.size() + baseNodes.size(); }

  /** A directory's live entries, read from the base first if needed. */
  java.util.TreeMap<byte[], ViewNode> entriesOf(ViewNode dir) {
    if (dir.entries == null) {
      dir.entries = ViewNode.newEntries();
      loadBaseEntries(dir);
    }
    return dir.entries;
  }

  void report(ReplayProblem p) { problems.accept(p); }

  private void loadBaseEntries(ViewNode dir) {
    DirentArray dirents;
    try {
      dirents = base.dirents(base.inode(dir.baseDirectory));
    } catch (FormatException e) {
      unusable(e.offset(), dir.baseDirectory, e.getMessage());
      return;
    }
    if (dirents.count() > direntBudget) {
      unusable(dirents.at(), dir.baseDirectory, "directory inode " + dir.baseDirectory + " has " + dirents.count()
          + " dirents, more than the base has room for beside the directories already read (they overlap);"
          + " left empty");
      return;
    }
    direntBudget -= dirents.count();
    for (long i = 0; i < dirents.count(); i++) {
      Dirent d;
      try {
        d = dirents.get(i);
      } catch (FormatException e) {
        unusable(e.offset(), dir.baseDirectory, e.getMessage());
        continue;
      }
      long ino = Integer.toUnsignedLong(d.ino());
      String bad = d.nameLen() > Format.NAME_MAX ? "name_len " + d.nameLen() + " over " + Format.NAME_MAX
          : Names.problem(d.name());
      if (bad != null) {
        unusable(d.at(), ino, "dirent in directory inode " + dir.baseDirectory + ": " + bad + "; left out");
        continue;
      }
      if (dir.entries.containsKey(d.name())) {
        unusable(d.at(), ino, "dirent in directory inode " + dir.baseDirectory + ": duplicate name '"
            + d.nameString() + "'; the first one is kept");
        continue;
      }
      if (!isBaseNumber(ino)) {
        unusable(d.at(), ino, "dirent '" + d.nameString() + "' in directory inode " + dir.baseDirectory
            + ": inode " + ino + " outside 1.." + base.inodeCount() + "; left out");
        continue;
      }
      ViewNode child = baseNode(ino);
      if (child == null) {
        continue;
      }
      if (child.isDirectory() && child.parent == null && child != root) {
        child.parent = dir;
      }
      dir.entries.put(d.name(), child);
    }
  }

  private ViewNode baseNode(long ino) {
    if (!isBaseNumber(ino) || unreadable.contains(ino)) {
      return null;
    }
    ViewNode n = baseNodes.get(ino);
    if (n != null) {
      return n;
    }
    try {
      Inode in = base.inode(ino);
      n = new ViewNode(ino, in.mode(), in.uid(), in.gid(), in.isDirectory() ? ino : 0);
      n.size = in.size();
      if (in.isRegular() && in.size() != 0) {
        n.write(0, in.size(), base.absolute(in.dataOffset(), in.size(), "file inode " + ino), Journal.NONE);
      } else if (in.isSymlink()) {
        n.target = base.symlinkTarget(in);
        n.size = n.target.length;
      }
    } catch (FormatException e) {
      unreadable.add(ino);
      unusable(e.offset(), ino, e.getMessage());
      return null;
    }
    baseNodes.put(ino, n);
    return n;
  }

  private void unusable(long at, long ino, String message) {
    problems.accept(new ReplayProblem(at, -1, 0, ino, ReplayProblem.Kind.BASE_ENTRY_UNREADABLE, message));
  }
}
