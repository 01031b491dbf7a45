package dev.daxfs.fuzz;

import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Node;
import dev.daxfs.format.Structs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated history of mounts and branch operations on a branching image, laid out as the v3
 * kernel lays it: each mount starts a main in the first free slot with a 64 KiB log carved at
 * delta_alloc_offset, children get the next branch id and their own 64 KiB log, operations append
 * entries to the current branch's log, commit appends the child's log to its parent's and
 * switches to main, abort and umount mark the child ABORTED. One deliberate difference: new inode
 * numbers come from next_inode_id in main too (the kernel starts main at 2, which collides with
 * the base; that is a kernel bug fsck must reject, not a history to generate).
 * Next to the bytes it keeps each branch's expected view as an {@link FsModel}.
 */
final class BranchHistory {
  static final int LOGS = 12;
  private static final int CAP = Format.KERNEL_LOG_CAPACITY;
  private static final String[] NAMES = {"a", "b", "new", "x.y", "é", "dir", "..z"};

  static final class Branch {
    final int slot;
    final long id;
    final Branch parent;
    final String name;
    final long logAt;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    int state = Format.BRANCH_ACTIVE;
    int refcount = 1;
    long nextLocalIno;
    FsModel view;

    Branch(int slot, long id, Branch parent, String name, long logAt, long nextLocalIno, FsModel view) {
      this.slot = slot;
      this.id = id;
      this.parent = parent;
      this.name = name;
      this.logAt = logAt;
      this.nextLocalIno = nextLocalIno;
      this.view = view;
    }

    String label() { return "branch '" + name + "' (slot " + slot + ")"; }
  }

  private final Choices c;
  private final FsModel base;
  final byte[] image;
  final List<Branch> branches = new ArrayList<>();
  final List<String> steps = new ArrayList<>();
  private long alloc;
  private long nextBranchId;
  private long nextInodeId;
  private int activeBranches;
  private long clock = 1_700_000_000_000_000_000L;
  private Branch main;
  private Branch current;
  private int children;

  private BranchHistory(Choices c, Node.Directory tree) {
    this.c = c;
    ImageLayout layout = ImageLayout.plan(tree, ImageSpec.branching((long) LOGS * CAP));
    this.image = Images.write(tree, ImageSpec.branching((long) LOGS * CAP));
    this.base = FsModel.of(layout);
    this.alloc = layout.superblock().deltaAllocOffset();
    this.nextInodeId = layout.superblock().nextInodeId();
  }

  /** Generates a history of at most {@code steps} steps on {@code tree} and writes it into the image. */
  static BranchHistory generate(Choices c, Node.Directory tree, int steps) {
    BranchHistory h = new BranchHistory(c, tree);
    h.mount();
    int budget = steps;
    while (budget-- > 0 && !c.exhausted()) {
      h.step();
    }
    h.layOut();
    return h;
  }

  /** Expected views of the ACTIVE branches, by the label the kernel model gives them. */
  Map<String, Map<String, String>> expectedViews() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Branch b : branches) {
      if (b.state == Format.BRANCH_ACTIVE) {
        out.put(b.label(), b.view.describe());
      }
    }
    return out;
  }

  private boolean mount() {
    int slot = branches.size();
    if (!roomForAnotherLog()) {
      return false;
    }
    main = new Branch(slot, 1, null, "main", alloc, 2, base.copy());
    alloc += CAP;
    branches.add(main);
    current = main;
    nextBranchId = 2;
    activeBranches = 1;
    steps.add("mount: main in slot " + slot);
    return true;
  }

  private void step() {
    switch (c.pick(14)) {
      case 0 -> child();
      case 1 -> finish(true);
      case 2 -> finish(false);
      case 3 -> {
        if (!roomForAnotherLog()) {
          return;
        }
        if (current != main) {
          current.state = Format.BRANCH_ABORTED;
          current.parent.refcount--;
        }
        mount();
      }
      default -> operation();
    }
  }

  /** One log is always left free: the next mount carves main's there, or fails with ENOSPC. */
  private boolean roomForAnotherLog() {
    return branches.size() < LOGS - 1;
  }

  private void child() {
    if (!roomForAnotherLog()) {
      return;
    }
    current.refcount++;
    String name = "b" + (++children);
    Branch b = new Branch(branches.size(), nextBranchId++, current, name, alloc, nextInodeId, current.view.copy());
    b.refcount = current.refcount;
    alloc += CAP;
    activeBranches++;
    branches.add(b);
    steps.add("child " + name + " of " + current.name);
    current = b;
  }

  /** Commit or abort the current branch when it is a direct child of main (see the class comment). */
  private void finish(boolean commit) {
    if (current == main || current.parent != main) {
      return;
    }
    if (commit) {
      if (main.log.size() + current.log.size() > CAP) {
        return;
      }
      main.log.writeBytes(current.log.toByteArray());
      main.view = current.view;
      current.state = Format.BRANCH_COMMITTED;
    } else {
      current.state = Format.BRANCH_ABORTED;
    }
    main.refcount--;
    activeBranches--;
    steps.add((commit ? "commit " : "abort ") + current.name);
    current = main;
  }

  private byte[] name(FsModel.Obj dir) {
    String n = NAMES[c.pick(NAMES.length)] + (c.chance(50) ? "" : c.pick(10));
    return dir.children.containsKey(new String(n.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
        ? null : n.getBytes(StandardCharsets.UTF_8);
  }

  private boolean append(byte[] entry, String what) {
    if (current.log.size() + entry.length > CAP) {
      return false;
    }
    current.log.writeBytes(entry);
    steps.add(current.name + ": " + what);
    return true;
  }

  private DeltaLogBuilder entry() { return new DeltaLogBuilder().timestamp(clock++); }

  private long allocIno() {
    long ino = nextInodeId++;
    current.nextLocalIno = ino + 1;
    return ino;
  }

  private void operation() {
    FsModel v = current.view;
    List<Long> dirs = new ArrayList<>();
    List<Long> files = new ArrayList<>();
    for (FsModel.Obj o : v.objs.values()) {
      if (o.isDir()) {
        dirs.add(o.ino);
      } else if (o.isFile()) {
        files.add(o.ino);
      }
    }
    dirs.removeIf(d -> d != 1 && !v.placements().containsKey(d));
    files.removeIf(f -> !v.placements().containsKey(f));
    Map<Long, Object[]> places = v.placements();
    List<Long> placed = new ArrayList<>(places.keySet());
    switch (c.pick(8)) {
      case 0, 1, 2 -> {
        FsModel.Obj dir = v.get(dirs.get(c.pick(dirs.size())));
        byte[] name = name(dir);
        if (name == null) {
          return;
        }
        int kind = c.pick(3);
        long ino = nextInodeId;
        byte[] target = kind == 2 ? target() : null;
        int mode = kind == 0 ? Format.S_IFREG | c.pick(01000) : kind == 1 ? Format.S_IFDIR | c.pick(01000)
            : Format.S_IFLNK | 0777;
        byte[] e = kind == 0 ? entry().create(dir.ino, ino, mode, name).toByteArray()
            : kind == 1 ? entry().mkdir(dir.ino, ino, mode, name).toByteArray()
            : entry().symlink(dir.ino, ino, name, target).toByteArray();
        if (!append(e, "new " + ino + " " + TreeSnapshot.latin1(name))) {
          return;
        }
        allocIno();
        FsModel.Obj o = new FsModel.Obj(ino, mode);
        o.target = target;
        v.objs.put(ino, o);
        dir.children.put(TreeSnapshot.latin1(name), ino);
      }
      case 3 -> {
        if (files.isEmpty()) {
          return;
        }
        FsModel.Obj f = v.get(files.get(c.pick(files.size())));
        long pos = c.pick(f.data.length + 200);
        byte[] data = c.bytes(3000);
        if (data.length > 0 && append(entry().write(f.ino, pos, data).toByteArray(), "write " + f.ino)) {
          v.write(f.ino, pos, data);
        }
      }
      case 4 -> {
        if (files.isEmpty()) {
          return;
        }
        FsModel.Obj f = v.get(files.get(c.pick(files.size())));
        long size = c.pick(f.data.length * 2 + 100);
        if (append(entry().truncate(f.ino, size).toByteArray(), "truncate " + f.ino)) {
          v.truncate(f.ino, size);
        }
      }
      case 5 -> {
        if (placed.isEmpty()) {
          return;
        }
        long ino = placed.get(c.pick(placed.size()));
        FsModel.Obj o = v.get(ino);
        boolean chmod = c.chance(50);
        int mode = (o.mode & Format.S_IFMT) | c.pick(010000);
        int uid = c.pick(70000);
        int gid = c.pick(70000);
        byte[] e = chmod ? entry().setattr(ino, mode, 0, 0, Format.ATTR_MODE, 0).toByteArray()
            : entry().setattr(ino, 0, uid, gid, Format.ATTR_UID | Format.ATTR_GID, 0).toByteArray();
        if (append(e, (chmod ? "chmod " : "chown ") + ino)) {
          if (chmod) {
            o.mode = mode;
          } else {
            o.uid = uid;
            o.gid = gid;
          }
        }
      }
      case 6 -> {
        if (placed.isEmpty()) {
          return;
        }
        long ino = placed.get(c.pick(placed.size()));
        Object[] at = places.get(ino);
        FsModel.Obj o = v.get(ino);
        if (o.isDir() && !o.children.isEmpty()) {
          return;
        }
        byte[] name = ((String) at[1]).getBytes(StandardCharsets.ISO_8859_1);
        if (append(entry().delete((Long) at[0], ino, name).toByteArray(), "delete " + ino)) {
          v.get((Long) at[0]).children.remove((String) at[1]);
        }
      }
      default -> {
        if (placed.isEmpty()) {
          return;
        }
        long ino = placed.get(c.pick(placed.size()));
        Object[] at = places.get(ino);
        FsModel.Obj to = v.get(dirs.get(c.pick(dirs.size())));
        byte[] newName = name(to);
        if (newName == null || (v.get(ino).isDir() && v.within(to.ino, ino))) {
          return;
        }
        byte[] oldName = ((String) at[1]).getBytes(StandardCharsets.ISO_8859_1);
        if (append(entry().rename((Long) at[0], to.ino, ino, oldName, newName).toByteArray(), "rename " + ino)) {
          v.get((Long) at[0]).children.remove((String) at[1]);
          to.children.put(TreeSnapshot.latin1(newName), ino);
        }
      }
    }
  }

  private byte[] target() {
    byte[] t = c.bytes(100);
    for (int i = 0; i < t.length; i++) {
      t[i] = t[i] == 0 ? (byte) 'x' : t[i];
    }
    return t.length == 0 ? new byte[] {'t'} : t;
  }

  /** Writes the table, the logs and the superblock fields the kernel keeps up to date. */
  private void layOut() {
    long table = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "branch_table_offset"));
    for (Branch b : branches) {
      long at = table + (long) b.slot * Format.BRANCH_RECORD_SIZE;
      byte[] name = b.state == Format.BRANCH_ACTIVE ? b.name.getBytes(StandardCharsets.UTF_8) : new byte[0];
      byte[] rec = new dev.daxfs.format.BranchRecord(b.slot, at, b.id, b.parent == null ? 0 : b.parent.id, b.logAt,
          b.log.size(), CAP, b.state, b.refcount, b.nextLocalIno, dev.daxfs.format.BranchRecord.nameField(
              new String(name, StandardCharsets.UTF_8))).encode();
      System.arraycopy(rec, 0, image, (int) at, rec.length);
      byte[] log = b.log.toByteArray();
      System.arraycopy(log, 0, image, (int) b.logAt, log.length);
    }
    Images.putU32(image, Structs.offset(Structs.SUPERBLOCK, "active_branches"), activeBranches);
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "next_branch_id"), nextBranchId);
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "next_inode_id"), nextInodeId);
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset"), alloc);
  }
}
