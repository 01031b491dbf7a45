package dev.daxfs.format;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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
  private static final int RECENT_NODES = 16384;
  private static final int RECENT_LISTINGS = 1024;
  private static final long LISTED_ENTRIES = 4 << 20;
  /** Handles above this name nodes the logs made; base inode numbers are u32. */
  private static final long LOG_HANDLES = 1L << 32;

  private final ImageBytes bytes;
  private final BaseImage base;        // null when the base cannot be read
  private final Consumer<ReplayProblem> problems;
  private final Map<Long, ViewNode> baseNodes = new HashMap<>();
  private final Set<Long> unreadable = new java.util.HashSet<>();
  private final Map<Long, ViewNode> numbered = new HashMap<>();
  private final ViewNode root;
  /** Sealed: base nodes and listings read from now on are kept only in the bounded caches below. */
  private boolean sealed;
  private final Map<Long, ViewNode> recentNodes = recent(RECENT_NODES);
  private final LinkedHashMap<Long, BaseEntries> recentListings = new LinkedHashMap<>(64, 0.75f, true);
  /** Entries in {@link #recentListings}, bounded by {@link #LISTED_ENTRIES} (the newest is kept whatever its size). */
  private long listedEntries;
  /** Listings that left dirents out: kept, so each of those is reported once. */
  private final Map<Long, Entries> problemListings = new HashMap<>();
  private final Map<ViewNode, ReplayedEntries> replayedListings = new IdentityHashMap<>();
  /** Handles of nodes the logs made (base nodes are named by their inode number). */
  private final List<ViewNode> logNodes = new ArrayList<>();
  private final Map<ViewNode, Long> logHandles = new IdentityHashMap<>();
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

  /**
   * Fixes the view as the logs left it, for a long-lived reader such as a mount: from now on a base
   * node or directory listing the replay did not touch is read from the image when used and kept
   * only in bounded caches, so memory no longer grows with how much of the image has been read.
   * One base inode may then be given out as several equal nodes; {@link #handle} names it for the
   * view's life. Nothing may be replayed into a sealed view.
   */
  public void seal() { sealed = true; }

  /**
   * A number naming {@code n} for the life of this view, even where a sealed view keeps no node
   * for it: a base node's inode number (1..2^32-1), above 2^32 for a node the logs made.
   */
  public long handle(ViewNode n) {
    if (n.fromBase) {
      return n.ino();
    }
    Long h = logHandles.get(n);
    if (h == null) {
      logNodes.add(n);
      h = LOG_HANDLES + logNodes.size();
      logHandles.put(n, h);
    }
    return h;
  }

  /** The node {@link #handle} named {@code handle}, or empty for a number it never gave. */
  public Optional<ViewNode> node(long handle) {
    if (handle > LOG_HANDLES) {
      return handle - LOG_HANDLES <= logNodes.size() ? Optional.of(logNodes.get((int) (handle - LOG_HANDLES - 1)))
          : Optional.empty();
    }
    return Optional.ofNullable(baseNode(handle));
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
      n = childOf(n, Names.fromText(part));
      if (n == null) {
        return Optional.empty();
      }
    }
    return Optional.of(n);
  }

  /** The node {@code name} (exact bytes) names in directory {@code dir}, without copying the directory. */
  public Optional<ViewNode> child(ViewNode dir, byte[] name) {
    return dir.isDirectory() ? Optional.ofNullable(childOf(dir, name)) : Optional.empty();
  }

  private ViewNode childOf(ViewNode dir, byte[] name) {
    if (!sealed) {
      return entriesOf(dir).get(name);
    }
    Entries l = listing(dir);
    int i = l.find(name);
    return i < 0 ? null : l.node(i);
  }

  /** st_nlink as the tools show it: 1 for files and links (v3 logs no hard links); 2 plus subdirectories for a directory. */
  public long nlink(ViewNode n) {
    if (!n.isDirectory()) {
      return 1;
    }
    if (sealed) {
      return 2 + listing(n).subdirectories();
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
    if (sealed) {
      return entries(dir, 0, Integer.MAX_VALUE);
    }
    List<ViewEntry> out = new ArrayList<>();
    entriesOf(dir).forEach((name, node) -> out.add(new ViewEntry(name.clone(), node)));
    return out;
  }

  /**
   * At most {@code max} entries of a directory from index {@code from} in name-byte order (a
   * listing read in pieces); on a sealed view this costs the entries returned, not the directory.
   */
  public List<ViewEntry> entries(ViewNode dir, long from, int max) {
    if (!dir.isDirectory() || from < 0) {
      return List.of();
    }
    if (!sealed) {
      List<ViewEntry> all = entries(dir);
      return from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(), from + max));
    }
    Entries l = listing(dir);
    List<ViewEntry> out = new ArrayList<>();
    for (long i = from; i < l.size() && out.size() < max; i++) {
      out.add(new ViewEntry(l.name((int) i), l.node((int) i)));
    }
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
    // A sealed view may give one base directory out as two nodes: it is known by its inode number.
    Set<Object> seen = new java.util.HashSet<>();
    stack.push(new Item(path, start));
    while (!stack.isEmpty()) {
      Item it = stack.pop();
      visitor.visit(it.path, it.node);
      if (!it.node.isDirectory() || !seen.add(walkKey(it.node))) {
        continue;
      }
      List<ViewEntry> kids = entries(it.node);
      String prefix = it.path.endsWith("/") ? it.path : it.path + "/";
      for (int i = kids.size() - 1; i >= 0; i--) {
        ViewEntry e = kids.get(i);
        if (e.node().isDirectory() && seen.contains(walkKey(e.node()))) {
          problems.accept(new ReplayProblem(0, -1, 0, e.node().ino(), ReplayProblem.Kind.BASE_ENTRY_UNREADABLE,
              prefix + e.nameString() + ": directory reached twice (a cycle); not entered again"));
          continue;
        }
        stack.push(new Item(prefix + e.nameString(), e.node()));
      }
    }
  }

  /** What a walk knows a node by: a base node by its inode number, a log node by itself (identity). */
  private static Object walkKey(ViewNode n) {
    return n.fromBase ? (Object) n.ino() : n;
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

  /** Nodes kept now (tests check that a sealed view's stay bounded). */
  int cachedNodes() { return baseNodes.size() + recentNodes.size() + numbered.size(); }

  /** Nodes made so far (bounds walks up parent links). */
  int nodeCount() { return numbered.size() + baseNodes.size(); }

  /** A directory's live entries, read from the base first if needed. */
  java.util.TreeMap<byte[], ViewNode> entriesOf(ViewNode dir) {
    if (sealed) {
      throw new IllegalStateException("a sealed view is not replayed into");
    }
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

  /** The listing of a directory on a sealed view: the replay's entries, or the base's dirents read again. */
  private Entries listing(ViewNode dir) {
    if (dir.entries != null) {
      return replayedListings.computeIfAbsent(dir, d -> new ReplayedEntries(d.entries));
    }
    long ino = dir.baseDirectory;
    Entries kept = problemListings.get(ino);
    if (kept != null) {
      return kept;
    }
    BaseEntries l = recentListings.get(ino);
    if (l != null) {
      return l;
    }
    try {
      l = new BaseEntries(ino, base.dirents(base.inode(ino)), base.inodeCount(), this::baseNode, this::unusable);
    } catch (FormatException e) {
      unusable(e.offset(), ino, e.getMessage());
      Entries empty = new ReplayedEntries(ViewNode.newEntries());
      problemListings.put(ino, empty);
      return empty;
    }
    if (l.hadProblems()) {
      problemListings.put(ino, l);
      return l;
    }
    recentListings.put(ino, l);
    listedEntries += l.size();
    var eldest = recentListings.entrySet().iterator();
    while ((listedEntries > LISTED_ENTRIES || recentListings.size() > RECENT_LISTINGS) && recentListings.size() > 1) {
      listedEntries -= eldest.next().getValue().size();
      eldest.remove();
    }
    return l;
  }

  private ViewNode baseNode(long ino) {
    if (!isBaseNumber(ino) || unreadable.contains(ino)) {
      return null;
    }
    ViewNode n = baseNodes.get(ino);
    if (n == null && sealed) {
      n = recentNodes.get(ino);
    }
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
    n.fromBase = true;
    (sealed ? recentNodes : baseNodes).put(ino, n);
    return n;
  }

  /** A map keeping the {@code capacity} entries used last. */
  private static <V> Map<Long, V> recent(int capacity) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
        return size() > capacity;
      }
    };
  }

  private void unusable(long at, long ino, String message) {
    problems.accept(new ReplayProblem(at, -1, 0, ino, ReplayProblem.Kind.BASE_ENTRY_UNREADABLE, message));
  }
}
