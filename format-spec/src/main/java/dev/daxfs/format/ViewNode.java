package dev.daxfs.format;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One file, directory or symlink of a {@link BranchView}. Only {@link Replay} changes it; users
 * read it through the view (directory entries and file extents are resolved there).
 */
public final class ViewNode {
  private final long ino;
  int mode;
  int uid;
  int gid;
  long size;
  /** Regular files: data runs by file offset, never overlapping; gaps read as zeros (null: none yet). */
  TreeMap<Long, Extent> data;
  /** Symlinks: the target. */
  byte[] target;
  /** Directories: entries by name, or null while they are still the base dirents (read on first use). */
  TreeMap<byte[], ViewNode> entries;
  /** The base directory inode whose dirents this directory starts with, 0 if none. */
  final long baseDirectory;
  /** The directory that holds this one (directories only; null for the root and unlinked ones). */
  ViewNode parent;
  /** Read from a base inode (not made by a log): its inode number names it. */
  boolean fromBase;

  ViewNode(long ino, int mode, int uid, int gid, long baseDirectory) {
    this.ino = ino;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.baseDirectory = baseDirectory;
    if (Format.isDirectory(mode) && baseDirectory == 0) {
      entries = newEntries();
    }
    target = Format.isSymlink(mode) ? new byte[0] : null;
  }

  static TreeMap<byte[], ViewNode> newEntries() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  /** The inode number the log (or the base) gave it; several nodes can share one in a broken log. */
  public long ino() { return ino; }

  /** st_mode: type bits and permissions. */
  public int mode() { return mode; }

  public int uid() { return uid; }

  public int gid() { return gid; }

  /** Bytes of a file, of a symlink target, or (directories) 144 per entry as the base stores them. */
  public long size() { return entries != null ? (long) entries.size() * Format.DIRENT_SIZE : size; }

  public boolean isDirectory() { return Format.isDirectory(mode); }

  public boolean isRegular() { return Format.isRegular(mode); }

  public boolean isSymlink() { return Format.isSymlink(mode); }

  /** A symlink's target (a copy); empty for anything else. */
  public byte[] target() { return target == null ? new byte[0] : target.clone(); }

  /**
   * Inserts a write of {@code length} bytes at {@code offset} whose data is at {@code source},
   * recording the changes in {@code journal}.
   */
  void write(long offset, long length, long source, Journal journal) {
    if (length == 0) {
      return;
    }
    long end = offset + length;
    if (data == null) {
      data = new TreeMap<>();
      journal.record(() -> data = null);
    }
    cut(offset, end, journal);
    put(offset, new Extent(offset, length, source), journal);
    setSize(Math.max(size, end), journal);
  }

  /** Sets the size; bytes past a shrunk end are gone, and growing exposes zeros. */
  void truncate(long newSize, Journal journal) {
    if (newSize < size && data != null) {
      cut(newSize, Long.MAX_VALUE, journal);
    }
    setSize(newSize, journal);
  }

  /** Sets mode, uid and gid, recording the old ones. */
  void setAttributes(int newMode, int newUid, int newGid, Journal journal) {
    int m = mode;
    int u = uid;
    int g = gid;
    journal.record(() -> {
      mode = m;
      uid = u;
      gid = g;
    });
    mode = newMode;
    uid = newUid;
    gid = newGid;
  }

  /** Sets the directory that holds this one, recording the old one. */
  void setParent(ViewNode newParent, Journal journal) {
    ViewNode old = parent;
    journal.record(() -> parent = old);
    parent = newParent;
  }

  private void setSize(long newSize, Journal journal) {
    long old = size;
    journal.record(() -> size = old);
    size = newSize;
  }

  private void put(long offset, Extent e, Journal journal) {
    Extent old = data.put(offset, e);
    journal.record(old == null ? () -> data.remove(offset) : () -> data.put(offset, old));
  }

  /** Removes [from, to) from the data runs, keeping the parts of runs outside it. */
  private void cut(long from, long to, Journal journal) {
    Map.Entry<Long, Extent> left = data.lowerEntry(from);
    if (left != null && left.getValue().end() > from) {
      Extent e = left.getValue();
      put(e.offset(), new Extent(e.offset(), from - e.offset(), e.source()), journal);
      if (e.end() > to) {
        put(to, new Extent(to, e.end() - to, e.source() + (to - e.offset())), journal);
        return;
      }
    }
    var inside = data.subMap(from, true, to, false);
    Extent last = inside.isEmpty() ? null : inside.lastEntry().getValue();
    // Each removed run was put once: recording its removal keeps the journal linear in the log.
    for (Extent removed : inside.values()) {
      journal.record(() -> data.put(removed.offset(), removed));
    }
    inside.clear();
    if (last != null && last.end() > to) {
      put(to, new Extent(to, last.end() - to, last.source() + (to - last.offset())), journal);
    }
  }
}
