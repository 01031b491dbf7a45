package dev.daxfs.format;

import static dev.daxfs.format.ReplayProblem.Kind.BAD_MODE;
import static dev.daxfs.format.ReplayProblem.Kind.BAD_NAME;
import static dev.daxfs.format.ReplayProblem.Kind.BAD_RENAME;
import static dev.daxfs.format.ReplayProblem.Kind.DIRECTORY_NOT_EMPTY;
import static dev.daxfs.format.ReplayProblem.Kind.INODE_MISMATCH;
import static dev.daxfs.format.ReplayProblem.Kind.INODE_NOT_FOUND;
import static dev.daxfs.format.ReplayProblem.Kind.INODE_IS_BASE;
import static dev.daxfs.format.ReplayProblem.Kind.INODE_REUSED;
import static dev.daxfs.format.ReplayProblem.Kind.INODE_ZERO;
import static dev.daxfs.format.ReplayProblem.Kind.LOG_OUTSIDE_IMAGE;
import static dev.daxfs.format.ReplayProblem.Kind.NAME_EXISTS;
import static dev.daxfs.format.ReplayProblem.Kind.NAME_NOT_FOUND;
import static dev.daxfs.format.ReplayProblem.Kind.NOT_A_FILE;
import static dev.daxfs.format.ReplayProblem.Kind.PARENT_MISSING;
import static dev.daxfs.format.ReplayProblem.Kind.PARENT_NOT_DIRECTORY;
import static dev.daxfs.format.ReplayProblem.Kind.PARENT_NOT_FOUND;
import static dev.daxfs.format.ReplayProblem.Kind.SIZE_OVERFLOW;
import static dev.daxfs.format.ReplayProblem.Kind.UNDECODABLE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Resolves branch views: the base image, then the log of each branch from the root of the parent
 * chain down to the branch itself, every entry applied in order with its POSIX meaning. Nothing
 * here throws for bad bytes: each problem goes to the caller's consumer and replay goes on as
 * {@link ReplayProblem.Kind} says. One entry costs one step (a rename of a directory also walks up
 * its new parent's ancestors), and a log of n bytes has at most n/24 entries.
 */
public final class Replay {
  private final BranchView view;
  private final Journal journal = new Journal();
  /** The slot whose log is being applied. */
  private int slot = -1;

  private Replay(BranchView view) {
    this.view = view;
  }

  /** The base image alone (the view of a static image). */
  public static BranchView base(Image image, Consumer<ReplayProblem> problems) {
    return new BranchView(image, problems);
  }

  /**
   * The view of {@code branch}. A COMMITTED branch's log is already part of its parent's log, so
   * its view is its parent's view (as now).
   */
  public static BranchView branch(Image image, BranchRecord branch, Consumer<ReplayProblem> problems) {
    List<BranchRecord> chain = chain(image.branchTable(), branch, problems);
    if (branch.state() == Format.BRANCH_COMMITTED && chain.size() > 1) {
      chain = chain.subList(0, chain.size() - 1);
    }
    return logs(image, chain, problems);
  }

  /** The base with the logs of {@code chain} applied in list order. */
  public static BranchView logs(Image image, List<BranchRecord> chain, Consumer<ReplayProblem> problems) {
    Replay r = new Replay(new BranchView(image, problems));
    for (BranchRecord b : chain) {
      r.applyLog(image, b);
    }
    return r.view;
  }

  /** Receives the view of each chain's last branch; the view is valid only during the call. */
  @FunctionalInterface
  public interface ChainVisitor {
    void visit(List<BranchRecord> chain, BranchView view);
  }

  /**
   * The views of several {@code chains} (each root first, as {@link #chain} gives them), with each
   * log applied once however many chains share it: chains are taken in slot order, so those sharing
   * ancestors come together, and a branch's changes are undone when the walk leaves it. Problems
   * in a shared log are reported once.
   */
  public static void views(Image image, List<List<BranchRecord>> chains, Consumer<ReplayProblem> problems,
      ChainVisitor visitor) {
    List<List<BranchRecord>> sorted = new ArrayList<>(chains);
    sorted.sort((a, b) -> {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c = Integer.compare(a.get(i).slot(), b.get(i).slot());
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size());
    });
    Replay r = null;
    List<BranchRecord> applied = new ArrayList<>();
    List<Integer> marks = new ArrayList<>();
    for (List<BranchRecord> chain : sorted) {
      int common = 0;
      while (common < Math.min(applied.size(), chain.size()) && applied.get(common).slot() == chain.get(common).slot()) {
        common++;
      }
      if (r == null || common == 0) {
        r = new Replay(new BranchView(image, problems));
        applied.clear();
        marks.clear();
      } else if (common < applied.size()) {
        r.journal.rollback(marks.get(common));
        applied.subList(common, applied.size()).clear();
        marks.subList(common, marks.size()).clear();
      }
      for (int i = common; i < chain.size(); i++) {
        r.journal.recording(i > 0);
        marks.add(r.journal.mark());
        applied.add(chain.get(i));
        r.applyLog(image, chain.get(i));
      }
      visitor.visit(chain, r.view);
    }
  }

  private void applyLog(Image image, BranchRecord b) {
    DeltaLog log;
    try {
      log = image.deltaLog(b);
    } catch (FormatException e) {
      view.report(new ReplayProblem(b.at(), b.slot(), 0, 0, LOG_OUTSIDE_IMAGE, e.getMessage() + "; its log is skipped"));
      return;
    }
    slot = b.slot();
    applyAll(log);
    slot = -1;
  }

  /**
   * The records whose logs make up {@code branch}'s view, root first. Ids repeat (every rw mount
   * starts a new main with id 1), so a parent_id means the nearest EARLIER non-free slot with that
   * id: a parent is always made before its children, and slots are taken in order.
   */
  public static List<BranchRecord> chain(BranchTable table, BranchRecord branch,
      Consumer<ReplayProblem> problems) {
    List<BranchRecord> out = new ArrayList<>();
    BranchRecord b = branch;
    // Each step moves to a lower slot, so this ends within 256 steps.
    while (true) {
      out.add(b);
      if (b.parentId() == 0) {
        break;
      }
      BranchRecord parent = null;
      for (int s = b.slot() - 1; s >= 0 && parent == null; s--) {
        BranchRecord r = table.records().get(s);
        if (r.state() != Format.BRANCH_FREE && r.branchId() == b.parentId()) {
          parent = r;
        }
      }
      if (parent == null) {
        problems.accept(new ReplayProblem(b.at(), b.slot(), 0, 0, PARENT_MISSING, "parent id "
            + Long.toUnsignedString(b.parentId()) + " is in no earlier slot; the view starts from the base"));
        break;
      }
      b = parent;
    }
    Collections.reverse(out);
    return out;
  }

  private void applyAll(DeltaLog log) {
    Iterator<DeltaEntry> it = log.iterator();
    while (true) {
      DeltaEntry e;
      try {
        if (!it.hasNext()) {
          return;
        }
        e = it.next();
      } catch (FormatException x) {
        view.report(new ReplayProblem(x.offset(), slot, 0, 0, UNDECODABLE, x.structure() + ": " + x.detail()
            + "; the rest of the log is skipped"));
        return;
      }
      apply(e);
    }
  }

  private void apply(DeltaEntry entry) {
    switch (entry) {
      case DeltaEntry.Write w -> {
        ViewNode f = file(w, w.ino());
        if (f == null) {
          return;
        }
        if (w.offset() < 0 || w.offset() > Long.MAX_VALUE - w.length()) {
          problem(w, SIZE_OVERFLOW, "write of " + w.length() + " bytes at " + Long.toUnsignedString(w.offset())
              + " ends past 2^63-1");
          return;
        }
        f.write(w.offset(), w.length(), w.dataAt(), journal);
      }
      case DeltaEntry.Truncate t -> {
        ViewNode f = file(t, t.ino());
        if (f != null) {
          truncate(t, f, t.newSize());
        }
      }
      case DeltaEntry.SetAttr a -> setattr(a);
      case DeltaEntry.Create c -> {
        int type = c.mode() & Format.S_IFMT;
        int mode = c.mode();
        if (type == Format.S_IFDIR || type == Format.S_IFLNK || type == 0) {
          if (type != 0) {
            problem(c, BAD_MODE, String.format("mode 0%o of a created file has directory or symlink type bits;"
                + " made a regular file", c.mode()));
          }
          mode = (c.mode() & 07777) | Format.S_IFREG;
        }
        add(c, c.parentIno(), c.newIno(), c.name(), new ViewNode(c.newIno(), mode, 0, 0, 0));
      }
      case DeltaEntry.Mkdir m -> add(m, m.parentIno(), m.newIno(), m.name(),
          new ViewNode(m.newIno(), (m.mode() & 07777) | Format.S_IFDIR, 0, 0, 0));
      case DeltaEntry.Symlink s -> {
        ViewNode link = new ViewNode(s.newIno(), Format.S_IFLNK | 0777, 0, 0, 0);
        link.target = s.target();
        link.size = s.target().length;
        add(s, s.parentIno(), s.newIno(), s.name(), link);
      }
      case DeltaEntry.Delete d -> delete(d);
      case DeltaEntry.Rename r -> rename(r);
    }
  }

  private ViewNode file(DeltaEntry e, long ino) {
    ViewNode f = view.inode(ino);
    if (f == null) {
      problem(e, INODE_NOT_FOUND, "inode " + Long.toUnsignedString(ino) + " is not in the view");
      return null;
    }
    if (!f.isRegular()) {
      problem(e, NOT_A_FILE, String.format("inode %s has mode 0%o, not a regular file",
          Long.toUnsignedString(ino), f.mode()));
      return null;
    }
    return f;
  }

  private void truncate(DeltaEntry e, ViewNode f, long size) {
    if (size < 0) {
      problem(e, SIZE_OVERFLOW, "size " + Long.toUnsignedString(size) + " is past 2^63-1");
      return;
    }
    f.truncate(size, journal);
  }

  private void setattr(DeltaEntry.SetAttr a) {
    ViewNode n = view.inode(a.ino());
    if (n == null) {
      problem(a, INODE_NOT_FOUND, "inode " + Long.toUnsignedString(a.ino()) + " is not in the view");
      return;
    }
    // The type of a file never changes: only the permission bits of mode apply.
    n.setAttributes((a.valid() & Format.ATTR_MODE) != 0 ? (n.mode & Format.S_IFMT) | (a.mode() & 07777) : n.mode,
        (a.valid() & Format.ATTR_UID) != 0 ? a.uid() : n.uid, (a.valid() & Format.ATTR_GID) != 0 ? a.gid() : n.gid,
        journal);
    if ((a.valid() & Format.ATTR_SIZE) != 0) {
      ViewNode f = file(a, a.ino());
      if (f != null) {
        truncate(a, f, a.size());
      }
    }
  }

  private ViewNode directory(DeltaEntry e, long ino) {
    ViewNode d = view.inode(ino);
    if (d == null) {
      problem(e, PARENT_NOT_FOUND, "parent inode " + Long.toUnsignedString(ino) + " is not in the view");
      return null;
    }
    if (!d.isDirectory()) {
      problem(e, PARENT_NOT_DIRECTORY, String.format("parent inode %s has mode 0%o, not a directory",
          Long.toUnsignedString(ino), d.mode()));
      return null;
    }
    return d;
  }

  private boolean nameOk(DeltaEntry e, byte[] name) {
    String bad = Names.problem(name);
    if (bad != null) {
      problem(e, BAD_NAME, bad);
    }
    return bad == null;
  }

  private void add(DeltaEntry e, long parentIno, long newIno, byte[] name, ViewNode node) {
    if (!nameOk(e, name)) {
      return;
    }
    ViewNode dir = directory(e, parentIno);
    if (dir == null) {
      return;
    }
    if (newIno == 0) {
      problem(e, INODE_ZERO, "new inode number 0 is never handed out; skipped");
      return;
    }
    if (e.ino() != newIno) {
      problem(e, INODE_MISMATCH, "header inode " + Long.toUnsignedString(e.ino()) + " differs from new_ino "
          + Long.toUnsignedString(newIno));
    }
    if (view.isBaseNumber(newIno)) {
      problem(e, INODE_IS_BASE, "new inode " + Long.toUnsignedString(newIno) + " collides with base inode "
          + Long.toUnsignedString(newIno) + "; the number now means the new inode");
    } else if (view.inode(newIno) != null) {
      problem(e, INODE_REUSED, "new inode " + Long.toUnsignedString(newIno)
          + " was handed out before; the number now means the new inode");
    }
    var entries = view.entriesOf(dir);
    ViewNode old = entries.get(name);
    if (old != null) {
      problem(e, NAME_EXISTS, Names.quoted(name) + " exists in directory inode " + dir.ino()
          + " (inode " + old.ino() + "); the name now means the new inode");
      unlink(dir, old);
    }
    if (node.isDirectory()) {
      node.parent = dir;   // a new node: nothing to undo
    }
    put(entries, name, node);
    view.number(newIno, node, journal);
  }

  private void delete(DeltaEntry.Delete d) {
    if (!nameOk(d, d.name())) {
      return;
    }
    ViewNode dir = directory(d, d.parentIno());
    if (dir == null) {
      return;
    }
    var entries = view.entriesOf(dir);
    ViewNode victim = entries.get(d.name());
    if (victim == null) {
      problem(d, NAME_NOT_FOUND, Names.quoted(d.name()) + " is not in directory inode " + dir.ino());
      return;
    }
    if (victim.ino() != d.ino()) {
      problem(d, INODE_MISMATCH, Names.quoted(d.name()) + " is inode " + victim.ino()
          + ", not the logged inode " + Long.toUnsignedString(d.ino()) + "; the name is removed");
    }
    if (victim.isDirectory() && !view.entriesOf(victim).isEmpty()) {
      problem(d, DIRECTORY_NOT_EMPTY, "directory " + Names.quoted(d.name()) + " still has "
          + victim.entries.size() + " entries; removed with them");
    }
    remove(entries, d.name());
    unlink(dir, victim);
  }

  private void rename(DeltaEntry.Rename r) {
    if (!nameOk(r, r.oldName()) || !nameOk(r, r.newName())) {
      return;
    }
    ViewNode from = directory(r, r.oldParent());
    ViewNode to = from == null ? null : directory(r, r.newParent());
    if (to == null) {
      return;
    }
    ViewNode moved = view.entriesOf(from).get(r.oldName());
    if (moved == null) {
      problem(r, NAME_NOT_FOUND, Names.quoted(r.oldName()) + " is not in directory inode " + from.ino());
      return;
    }
    if (moved.ino() != r.renamedIno()) {
      problem(r, INODE_MISMATCH, Names.quoted(r.oldName()) + " is inode " + moved.ino()
          + ", not the logged inode " + Long.toUnsignedString(r.renamedIno()) + "; the name is moved");
    }
    var target = view.entriesOf(to);
    ViewNode replaced = target.get(r.newName());
    if (replaced == moved) {
      return;
    }
    if (moved.isDirectory() && isWithin(to, moved)) {
      problem(r, BAD_RENAME, "directory " + Names.quoted(r.oldName()) + " cannot move into itself");
      return;
    }
    if (replaced != null) {
      String clash = moved.isDirectory() != replaced.isDirectory()
          ? (moved.isDirectory() ? "a directory cannot replace a non-directory"
              : "a non-directory cannot replace a directory")
          : replaced.isDirectory() && !view.entriesOf(replaced).isEmpty() ? "the target directory is not empty"
          : null;
      if (clash != null) {
        problem(r, BAD_RENAME, Names.quoted(r.newName()) + ": " + clash);
        return;
      }
      unlink(to, replaced);
    }
    remove(view.entriesOf(from), r.oldName());
    put(target, r.newName(), moved);
    if (moved.isDirectory()) {
      moved.setParent(to, journal);
    }
  }

  /** True when {@code dir} is {@code ancestor} or below it (parent links, bounded by the node count). */
  private boolean isWithin(ViewNode dir, ViewNode ancestor) {
    int limit = view.nodeCount() + 1;
    for (ViewNode p = dir; p != null && limit-- > 0; p = p.parent) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  private void unlink(ViewNode dir, ViewNode node) {
    if (node.parent == dir) {
      node.setParent(null, journal);
    }
  }

  private void put(TreeMap<byte[], ViewNode> entries, byte[] name, ViewNode node) {
    ViewNode old = entries.put(name, node);
    journal.record(old == null ? () -> entries.remove(name) : () -> entries.put(name, old));
  }

  private void remove(TreeMap<byte[], ViewNode> entries, byte[] name) {
    ViewNode old = entries.remove(name);
    if (old != null) {
      journal.record(() -> entries.put(name, old));
    }
  }

  private void problem(DeltaEntry e, ReplayProblem.Kind kind, String message) {
    view.report(new ReplayProblem(e.at(), slot, e.type(), e.ino(), kind, message));
  }
}
