package dev.daxfs.fuzz;

import static dev.daxfs.fuzz.Hazard.Kind.BAD_LOG_ENTRY;
import static dev.daxfs.fuzz.Hazard.Kind.DUPLICATE_NAME;
import static dev.daxfs.fuzz.Hazard.Kind.INODE_COLLISION;
import static dev.daxfs.fuzz.Hazard.Kind.IO_ERROR;
import static dev.daxfs.fuzz.Hazard.Kind.OUT_OF_BOUNDS;
import static dev.daxfs.fuzz.Hazard.Kind.REFUSED_NAME;
import static dev.daxfs.fuzz.Hazard.Kind.UNBOUNDED_WALK;
import static dev.daxfs.fuzz.Hazard.Kind.WRONG_CONTENT;
import static dev.daxfs.fuzz.KernelMount.S_IFDIR;
import static dev.daxfs.fuzz.KernelMount.S_IFLNK;
import static dev.daxfs.fuzz.KernelMount.S_IFMT;
import static dev.daxfs.fuzz.KernelMount.S_IFREG;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one view of the file system shows: the base image as the kernel reads it, with the entries
 * of a branch's log chain applied in their POSIX sense (as our tools replay them). With no log it is
 * exactly the mount's view. Base objects are read through the kernel's own paths until an entry
 * changes them; then their state lives here.
 */
final class BranchView {
  /** One name in a directory listing; {@code mode} is what readdir's d_type is made from. */
  record Entry(byte[] name, long ino, int mode) {}

  /** An inode as stat and read see it. */
  static final class Node {
    final long ino;
    int mode;
    long uid;
    long gid;
    long size;
    FileData data;          // regular files
    byte[] target;          // symlinks replayed from a log
    boolean targetTerminated = true;
    long baseTargetAt = -1; // symlinks from the base image: read when asked, as the kernel does

    Node(long ino) { this.ino = ino; }
  }

  private final KernelMount m;
  private final KernelMemory mem;
  private final boolean liveMount;
  private final Map<Long, Node> nodes = new HashMap<>();
  private final Map<Long, List<Entry>> dirs = new HashMap<>();
  private final Set<Long> logInodes = new HashSet<>();

  private BranchView(KernelMount m, boolean liveMount) {
    this.m = m;
    this.mem = m.mem;
    this.liveMount = liveMount;
  }

  /** The view the mounted kernel shows (a static image, or a branching image's fresh main). */
  static BranchView mounted(KernelMount m) { return new BranchView(m, true); }

  /** A persisted log chain (oldest ancestor first) replayed over the base image. */
  static BranchView replay(KernelMount m, List<List<LogEntry>> chain) {
    BranchView v = new BranchView(m, false);
    for (List<LogEntry> log : chain) {
      for (LogEntry e : log) {
        v.apply(e);
      }
    }
    return v;
  }

  boolean liveMount() { return liveMount; }

  KernelMemory memory() { return mem; }

  KernelMount mount() { return m; }

  // ---- the read path ----------------------------------------------------------------------------

  /** readdir: base entries (minus what the log removed) and then the log's, or ENOTDIR-ish empty. */
  List<Entry> readdir(long dir) {
    List<Entry> d = dirs.get(dir);
    if (d != null) {
      return List.copyOf(d);
    }
    if (logInodes.contains(dir)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (KernelMount.RawDirent de : m.baseDirents(dir)) {
      out.add(new Entry(de.name(), de.ino(), de.mode()));
    }
    return out;
  }

  /** lookup: the first entry with this exact name, or -1 (ENOENT). */
  long lookup(long dir, byte[] name) {
    for (Entry e : readdir(dir)) {
      if (Arrays.equals(e.name(), name)) {
        return e.ino();
      }
    }
    return -1;
  }

  /** iget: the inode, or null where the kernel says ENOENT. */
  Node iget(long ino) {
    Node n = nodes.get(ino);
    if (n != null || logInodes.contains(ino)) {
      return n;
    }
    KernelMount.BaseInodeRaw raw = m.baseInode(ino);
    if (raw == null) {
      return null;
    }
    n = new Node(ino);
    n.mode = raw.mode();
    n.uid = raw.uid();
    n.gid = raw.gid();
    n.size = raw.size();
    long at = m.baseOffset + raw.dataOffset();
    if ((raw.mode() & S_IFMT) == S_IFREG) {
      n.data = new FileData(at, raw.size(), m.baseUsed, null);
    } else if ((raw.mode() & S_IFMT) == S_IFLNK) {
      n.baseTargetAt = at;
    }
    return n;
  }

  /** read(2) of the whole file: its SHA-256 (null when too large to hash). */
  String read(Node n) {
    if (n.data == null) {
      return null;
    }
    if (n.size < 0) {
      mem.hazard(IO_ERROR, -1, "inode " + n.ino + " has size " + Long.toUnsignedString(n.size)
          + ", negative as loff_t: every read returns nothing");
      return null;
    }
    return n.data.sha256(mem, "data of inode " + n.ino);
  }

  /** readlink: the target bytes up to the NUL, as the VFS reads i_link. */
  byte[] readlink(Node n) {
    byte[] target;
    if (n.target != null) {
      target = n.target;
      if (!n.targetTerminated) {
        mem.hazard(WRONG_CONTENT, -1, "symlink inode " + n.ino
            + ": the logged target is not followed by a NUL, readlink runs into the next entry");
      }
    } else {
      long at = n.baseTargetAt;
      if (!mem.mapped(at, 1)) {
        mem.hazard(OUT_OF_BOUNDS, at, "symlink inode " + n.ino + ": target pointer past the mapping is NULL");
        throw new KernelMemory.Oops("NULL i_link");
      }
      long limit = mem.size() - at;
      int len = mem.strnlen(at, (int) Math.min(limit, Integer.MAX_VALUE - 8), m.baseUsed,
          "target of symlink inode " + n.ino);
      if (len == limit) {
        mem.hazard(OUT_OF_BOUNDS, at, "symlink inode " + n.ino + ": no NUL before the end of the mapping");
        throw new KernelMemory.Oops("unterminated i_link");
      }
      mem.checkRead(at, len + 1L, new Region("target of symlink inode " + n.ino, at, n.size + 1), "symlink target");
      target = mem.bytes(at, len, null, "symlink target");
    }
    if (target.length != n.size) {
      mem.hazard(WRONG_CONTENT, -1, "symlink inode " + n.ino + ": readlink gives " + target.length
          + " bytes but i_size is " + Long.toUnsignedString(n.size));
    }
    if (target.length == 0) {
      mem.hazard(WRONG_CONTENT, -1, "symlink inode " + n.ino + " has an empty target: every walk through it fails");
    } else if (target.length >= 4096) {
      mem.hazard(IO_ERROR, -1, "symlink inode " + n.ino + ": a target of " + target.length
          + " bytes fails every walk with ENAMETOOLONG");
    }
    return target;
  }

  // ---- replay -----------------------------------------------------------------------------------

  private Node mutable(long ino) {
    Node n = nodes.get(ino);
    if (n == null) {
      n = iget(ino);
      if (n != null) {
        if (n.data != null) {
          n.data = n.data.copy();
        }
        nodes.put(ino, n);
      }
    }
    return n;
  }

  private List<Entry> mutableDir(long dir) {
    List<Entry> d = dirs.get(dir);
    if (d == null) {
      d = new ArrayList<>(readdir(dir));
      dirs.put(dir, d);
    }
    return d;
  }

  private boolean isDir(long ino) {
    Node n = iget(ino);
    return n != null && (n.mode & S_IFMT) == S_IFDIR;
  }

  static String refusedName(byte[] name) {
    if (name.length == 0) {
      return "an empty name";
    }
    if (name.length > KernelMount.NAME_MAX) {
      return "a name of " + name.length + " bytes (over " + KernelMount.NAME_MAX + ")";
    }
    if (Arrays.equals(name, new byte[] {'.'}) || Arrays.equals(name, new byte[] {'.', '.'})) {
      return "the name '" + new String(name, java.nio.charset.StandardCharsets.ISO_8859_1) + "'";
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return "a name containing " + (b == 0 ? "NUL" : "'/'");
      }
    }
    return null;
  }

  private boolean addName(LogEntry e, long parent, byte[] name, long ino, int mode) {
    if (!isDir(parent)) {
      mem.hazard(BAD_LOG_ENTRY, e.at(), "parent inode " + Long.toUnsignedString(parent) + " is not a directory");
      return false;
    }
    String bad = refusedName(name);
    if (bad != null) {
      mem.hazard(REFUSED_NAME, e.at(), "the log adds " + bad + " to directory " + parent);
      return false;
    }
    if (lookup(parent, name) >= 0) {
      mem.hazard(DUPLICATE_NAME, e.at(), "the log adds a name that already exists in directory " + parent);
      return false;
    }
    mutableDir(parent).add(new Entry(name, ino, mode));
    return true;
  }

  private boolean newInode(LogEntry e, long ino) {
    if (ino == 0 || iget(ino) != null || logInodes.contains(ino)) {
      mem.hazard(INODE_COLLISION, e.at(), "the log creates inode " + Long.toUnsignedString(ino)
          + ", a number already in use: the kernel shows one object's content for the other");
      return false;
    }
    return true;
  }

  private Node file(LogEntry e, long ino) {
    Node n = mutable(ino);
    if (n == null || n.data == null) {
      mem.hazard(BAD_LOG_ENTRY, e.at(), "inode " + Long.toUnsignedString(ino) + " is not a regular file in this view");
      return null;
    }
    return n;
  }

  private void apply(LogEntry e) {
    switch (e) {
      case LogEntry.Create c -> {
        int type = c.mode() & S_IFMT;
        if (type != (c.directory() ? S_IFDIR : S_IFREG)) {
          mem.hazard(BAD_LOG_ENTRY, c.at(), (c.directory() ? "mkdir" : "create") + " with mode 0"
              + Integer.toOctalString(c.mode()));
          return;
        }
        if (!newInode(c, c.ino()) || !addName(c, c.parent(), c.name(), c.ino(), c.mode())) {
          return;
        }
        Node n = new Node(c.ino());
        n.mode = c.mode();
        if (!c.directory()) {
          n.data = new FileData(0, 0, null, new Region("delta region", m.deltaRegion.start(), m.deltaRegion.length()));
        } else {
          dirs.put(c.ino(), new ArrayList<>());
        }
        nodes.put(c.ino(), n);
        logInodes.add(c.ino());
      }
      case LogEntry.Symlink s -> {
        if (s.target().length == 0 || indexOfZero(s.target()) >= 0) {
          mem.hazard(WRONG_CONTENT, s.at(), "symlink with an empty target or a NUL inside it");
        }
        if (!newInode(s, s.ino()) || !addName(s, s.parent(), s.name(), s.ino(), S_IFLNK | 0777)) {
          return;
        }
        Node n = new Node(s.ino());
        n.mode = S_IFLNK | 0777;
        n.target = s.target();
        n.size = s.target().length;
        n.targetTerminated = mem.u8(s.targetAt() + s.target().length, null, "symlink NUL") == 0;
        nodes.put(s.ino(), n);
        logInodes.add(s.ino());
      }
      case LogEntry.Write w -> {
        if (Long.compareUnsigned(w.pos(), Long.MAX_VALUE - w.len()) > 0) {
          mem.hazard(BAD_LOG_ENTRY, w.at(), "write at offset " + Long.toUnsignedString(w.pos()) + " overflows loff_t");
          return;
        }
        Node n = file(w, w.ino());
        if (n != null) {
          n.data.write(w.pos(), w.len(), w.dataAt());
          n.size = n.data.size();
        }
      }
      case LogEntry.Truncate t -> truncate(t, t.ino(), t.size());
      case LogEntry.SetAttr a -> {
        Node n = mutable(a.ino());
        if (n == null) {
          mem.hazard(BAD_LOG_ENTRY, a.at(), "setattr of inode " + Long.toUnsignedString(a.ino()) + ", which does not exist");
          return;
        }
        if ((a.valid() & 1) != 0) {
          // The permission bits only: a file's type never changes (FORMAT.md, "Delta log replay").
          n.mode = (n.mode & S_IFMT) | (a.mode() & 07777);
        }
        if ((a.valid() & 2) != 0) {
          n.uid = a.uid();
        }
        if ((a.valid() & 4) != 0) {
          n.gid = a.gid();
        }
        if ((a.valid() & 8) != 0) {
          truncate(a, a.ino(), a.size());
        }
      }
      case LogEntry.Delete d -> {
        long found = lookup(d.parent(), d.name());
        if (found < 0 || found != d.ino()) {
          mem.hazard(BAD_LOG_ENTRY, d.at(), "delete of a name that is not inode " + Long.toUnsignedString(d.ino())
              + " in directory " + Long.toUnsignedString(d.parent()));
          return;
        }
        removeName(d.parent(), d.name());
      }
      case LogEntry.Rename r -> rename(r);
    }
  }

  private void truncate(LogEntry e, long ino, long size) {
    if (size < 0) {
      mem.hazard(BAD_LOG_ENTRY, e.at(), "truncate to " + Long.toUnsignedString(size) + " bytes, negative as loff_t");
      return;
    }
    Node n = file(e, ino);
    if (n != null) {
      n.data.truncate(size);
      n.size = size;
    }
  }

  private void removeName(long dir, byte[] name) {
    List<Entry> d = mutableDir(dir);
    for (int i = 0; i < d.size(); i++) {
      if (Arrays.equals(d.get(i).name(), name)) {
        d.remove(i);
        return;
      }
    }
  }

  private void rename(LogEntry.Rename r) {
    long found = lookup(r.oldParent(), r.oldName());
    if (found < 0 || found != r.ino()) {
      mem.hazard(BAD_LOG_ENTRY, r.at(), "rename of a name that is not inode " + Long.toUnsignedString(r.ino()));
      return;
    }
    if (!isDir(r.newParent())) {
      mem.hazard(BAD_LOG_ENTRY, r.at(), "rename into inode " + Long.toUnsignedString(r.newParent())
          + ", not a directory");
      return;
    }
    String bad = refusedName(r.newName());
    if (bad != null) {
      mem.hazard(REFUSED_NAME, r.at(), "the log renames to " + bad);
      return;
    }
    if (isDir(r.ino()) && isAncestorOrSelf(r.ino(), r.newParent())) {
      mem.hazard(UNBOUNDED_WALK, r.at(), "rename moves directory " + r.ino() + " inside itself");
      return;
    }
    Entry moved = null;
    for (Entry en : readdir(r.oldParent())) {
      if (Arrays.equals(en.name(), r.oldName())) {
        moved = en;
        break;
      }
    }
    removeName(r.oldParent(), r.oldName());
    long replaced = lookup(r.newParent(), r.newName());
    if (replaced >= 0) {
      removeName(r.newParent(), r.newName());
    }
    mutableDir(r.newParent()).add(new Entry(r.newName(), r.ino(), moved.mode()));
  }

  /** True when {@code dir} is {@code candidate} or one of its ancestors; a bounded search down from dir. */
  private boolean isAncestorOrSelf(long dir, long candidate) {
    ArrayList<Long> work = new ArrayList<>(List.of(dir));
    Set<Long> seen = new HashSet<>();
    while (!work.isEmpty()) {
      long d = work.removeLast();
      if (d == candidate) {
        return true;
      }
      if (!seen.add(d)) {
        continue;
      }
      for (Entry en : readdir(d)) {
        if (isDir(en.ino())) {
          work.add(en.ino());
        }
      }
    }
    return false;
  }

  private static int indexOfZero(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
