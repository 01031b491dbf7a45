package dev.daxfs.fuse;

import static dev.daxfs.fuse.LibFuse.Fn;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves one branch view to the kernel: the libfuse low-level callbacks. libfuse calls them one
 * at a time on the thread running the session loop, so the reply buffers are allocated once and
 * reused. File data is not copied out of an image file or a devdax device: a read replies with
 * an iovec pointing into the mapped image (and at one shared page run of zeros for holes), which
 * the kernel copies straight to the reader; a /dev/mem range or a dma-buf, which the kernel cannot
 * take by address, is copied into the reply buffer. A callback never lets an exception reach native code (that would end the
 * JVM): anything unexpected is one line on stderr and EIO.
 */
final class ViewServer {
  /** The view never changes under the mount, so the kernel may cache everything for long. */
  private static final double TIMEOUT = 86400.0;
  private static final long ZEROS = 1 << 20;
  /** writev's IOV_MAX is 1024 and libfuse adds one iovec for the reply header. */
  private static final int MAX_IOV = 1000;
  private static final int MAX_REPORTED = 100;

  private final BranchView view;
  private final ImageBytes bytes;
  /** Whether a read reply may point the kernel at the image's bytes (else they are copied into it). */
  private final boolean direct;
  private final long statfsBlocks;
  private final long statfsFiles;
  private final PrintWriter err;
  private final NodeIds ids;
  /** The data runs of the files read last: a read names a node, not an open file. */
  private final Map<Long, Extent[]> runs = recent();
  private boolean kernelOpensFiles;
  private boolean kernelOpensDirectories;
  private long unexpected;

  private final Arena arena = Arena.ofShared();
  private final MemorySegment ops;
  private final MemorySegment entry = arena.allocate(LibFuse.ENTRY_SIZE, 8);
  private final MemorySegment stat = arena.allocate(LibFuse.STAT_SIZE, 8);
  private final MemorySegment statvfs = arena.allocate(LibFuse.STATVFS_SIZE, 8);
  private final MemorySegment iov = arena.allocate(LibFuse.IOVEC_SIZE * MAX_IOV, 8);
  private final MemorySegment zeros = arena.allocate(ZEROS, 4096);
  private final MemorySegment name = arena.allocate(Format.NAME_MAX + 1);
  private MemorySegment buffer = arena.allocate(1 << 17, 4096);

  ViewServer(BranchView view, long imageSize, long inodes, boolean direct, PrintWriter err) {
    this.view = view;
    this.direct = direct;
    this.bytes = view.bytes();
    this.statfsBlocks = imageSize / 4096;
    this.statfsFiles = inodes;
    this.err = err;
    // A mount reads the view for long: base nodes are read again when needed rather than all kept.
    view.seal();
    this.ids = new NodeIds(view);
    this.ops = arena.allocate(LibFuse.OPS_SIZE, 8);
    bind(LibFuse.Op.INIT, "init", ADDRESS);
    bind(LibFuse.Op.LOOKUP, "lookup", JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.GETATTR, "getattr", JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.READLINK, "readlink", JAVA_LONG);
    bind(LibFuse.Op.OPEN, "open", JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.OPENDIR, "open", JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.READ, "read", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.READDIR, "readdir", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.READDIRPLUS, "readdirplus", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    bind(LibFuse.Op.STATFS, "statfs", JAVA_LONG);
    bind(LibFuse.Op.GETXATTR, "getxattr", JAVA_LONG, ADDRESS, JAVA_LONG);
    bind(LibFuse.Op.LISTXATTR, "listxattr", JAVA_LONG, JAVA_LONG);
    // The mount is read-only, so the kernel answers these with EROFS itself; should one arrive, so do we.
    refuse(LibFuse.Op.SETATTR, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS);
    refuse(LibFuse.Op.MKNOD, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG);
    refuse(LibFuse.Op.MKDIR, JAVA_LONG, ADDRESS, JAVA_INT);
    refuse(LibFuse.Op.UNLINK, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.RMDIR, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.SYMLINK, ADDRESS, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.RENAME, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);
    refuse(LibFuse.Op.LINK, JAVA_LONG, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.WRITE, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.CREATE, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS);
    refuse(LibFuse.Op.SETXATTR, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    refuse(LibFuse.Op.REMOVEXATTR, JAVA_LONG, ADDRESS);
    refuse(LibFuse.Op.FALLOCATE, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS);
  }

  /** struct fuse_lowlevel_ops, valid while this server lives. */
  MemorySegment operations() { return ops; }

  /** Frees the reply buffers and callbacks; only after the session has ended. */
  void close() { arena.close(); }

  // ---- callbacks ----

  void lookup(MemorySegment req, long parent, MemorySegment cName) {
    try {
      ViewNode dir = ids.node(parent);
      byte[] n = cString(cName);
      ViewNode child = dir == null || n == null ? null : view.child(dir, n).orElse(null);
      if (child == null) {
        LibFuse.replyErr(req, LibFuse.ENOENT);
        return;
      }
      long id = ids.id(child, parent);
      entry.fill((byte) 0);
      entry.set(JAVA_LONG, LibFuse.ENTRY_INO, id);
      fillStat(entry.asSlice(LibFuse.ENTRY_ATTR, LibFuse.STAT_SIZE), child);
      entry.set(JAVA_DOUBLE, LibFuse.ENTRY_ATTR_TIMEOUT, TIMEOUT);
      entry.set(JAVA_DOUBLE, LibFuse.ENTRY_TIMEOUT, TIMEOUT);
      int r = (int) Fn.REPLY_ENTRY.invokeExact(req, entry);
    } catch (Throwable t) {
      failed(req, "lookup", t);
    }
  }

  void getattr(MemorySegment req, long id, MemorySegment fi) {
    try {
      ViewNode n = ids.node(id);
      if (n == null) {
        LibFuse.replyErr(req, LibFuse.ENOENT);
        return;
      }
      fillStat(stat, n);
      int r = (int) Fn.REPLY_ATTR.invokeExact(req, stat, TIMEOUT);
    } catch (Throwable t) {
      failed(req, "getattr", t);
    }
  }

  void readlink(MemorySegment req, long id) {
    try {
      ViewNode n = ids.node(id);
      if (n == null || !n.isSymlink()) {
        LibFuse.replyErr(req, n == null ? LibFuse.ENOENT : LibFuse.EINVAL);
        return;
      }
      byte[] target = n.target();
      // A C string: a target holding a NUL (a hostile log) ends there, as the kernel would read it.
      try (Arena a = Arena.ofConfined()) {
        MemorySegment s = a.allocate(target.length + 1L);
        MemorySegment.copy(target, 0, s, JAVA_BYTE, 0, target.length);
        int r = (int) Fn.REPLY_READLINK.invokeExact(req, s);
      }
    } catch (Throwable t) {
      failed(req, "readlink", t);
    }
  }

  /**
   * Asks for opens without a round trip (a read-only mount has nothing to check at open): the
   * first open answered ENOSYS tells the kernel to open files and directories itself from then
   * on, keep their cached pages and listings from one open to the next (as FOPEN_KEEP_CACHE and
   * FOPEN_CACHE_DIR) and send no release. That halves the requests of reading many small files.
   * Symlink targets are cached too.
   */
  void init(MemorySegment userdata, MemorySegment conn) {
    try {
      MemorySegment c = conn.reinterpret(LibFuse.CONN_SIZE);
      int capable = c.get(JAVA_INT, LibFuse.CONN_CAPABLE);
      int wanted = LibFuse.CAP_NO_OPEN_SUPPORT | LibFuse.CAP_NO_OPENDIR_SUPPORT | LibFuse.CAP_CACHE_SYMLINKS;
      c.set(JAVA_INT, LibFuse.CONN_WANT, c.get(JAVA_INT, LibFuse.CONN_WANT) | (capable & wanted));
      kernelOpensFiles = (capable & LibFuse.CAP_NO_OPEN_SUPPORT) != 0;
      kernelOpensDirectories = (capable & LibFuse.CAP_NO_OPENDIR_SUPPORT) != 0;
    } catch (Throwable t) {
      err.println("daxfsfuse: init: " + t);
      err.flush();
    }
  }

  /**
   * Open and opendir: ENOSYS where the kernel can open by itself (see init), else a plain open
   * with the cache kept. Reads and listings name the node, so nothing is kept per open file,
   * and a write open never arrives (the mount is read-only: the kernel answers EROFS).
   */
  void open(MemorySegment req, long id, MemorySegment fi) {
    try {
      MemorySegment info = fi.reinterpret(LibFuse.FI_SIZE);
      boolean directory = ids.node(id) != null && ids.node(id).isDirectory();
      if (directory ? kernelOpensDirectories : kernelOpensFiles) {
        LibFuse.replyErr(req, LibFuse.ENOSYS);
        return;
      }
      info.set(JAVA_INT, LibFuse.FI_BITS, info.get(JAVA_INT, LibFuse.FI_BITS) | LibFuse.FI_KEEP_CACHE
          | (directory ? LibFuse.FI_CACHE_READDIR : 0));
      int r = (int) Fn.REPLY_OPEN.invokeExact(req, fi);
    } catch (Throwable t) {
      failed(req, "open", t);
    }
  }

  void read(MemorySegment req, long id, long size, long offset, MemorySegment fi) {
    try {
      Extent[] runs = runsOf(id);
      if (runs == null) {
        LibFuse.replyErr(req, LibFuse.ENOENT);
        return;
      }
      long fileSize = runs.length == 0 ? 0 : runs[runs.length - 1].offset() + runs[runs.length - 1].length();
      if (offset < 0 || size < 0) {
        LibFuse.replyErr(req, LibFuse.EINVAL);
        return;
      }
      long end = offset >= fileSize ? offset : offset + Math.min(size, fileSize - offset);
      int count = 0;
      boolean fits = direct;
      int i = first(runs, offset);
      for (long pos = offset; pos < end && fits; i++) {
        Extent e = runs[i];
        long len = Math.min(e.offset() + e.length(), end) - pos;
        for (long done = 0; done < len && fits; done += e.isZeros() ? ZEROS : len) {
          fits = count < MAX_IOV;
          if (fits && e.isZeros()) {
            setIov(count++, zeros.address(), Math.min(ZEROS, len - done));
          } else if (fits) {
            long src = e.source() + (pos - e.offset());
            if (!bytes.contains(src, len)) {
              throw new IllegalStateException("inode " + Long.toUnsignedString(ids.node(id).ino())
                  + ": a data run at " + src + " lies outside the image");
            }
            setIov(count++, bytes.segment().address() + src, len);
          }
        }
        pos += len;
      }
      if (fits) {
        int r = (int) Fn.REPLY_IOV.invokeExact(req, iov, count);
      } else {
        replyCopied(req, runs, offset, end);
      }
    } catch (Throwable t) {
      failed(req, "read", t);
    }
  }

  /** Offsets: 0 is ".", 1 is "..", 2 + i is the i-th entry in name-byte order. */
  void readdir(MemorySegment req, long id, long size, long offset, MemorySegment fi) {
    list(req, id, size, offset, fi, false);
  }

  /** readdir with each entry's attributes, which saves the kernel a lookup per name (find -ls, ls -l). */
  void readdirplus(MemorySegment req, long id, long size, long offset, MemorySegment fi) {
    list(req, id, size, offset, fi, true);
  }

  private void list(MemorySegment req, long id, long size, long offset, MemorySegment fi, boolean plus) {
    try {
      ViewNode dir = ids.node(id);
      if (dir == null || !dir.isDirectory()) {
        LibFuse.replyErr(req, dir == null ? LibFuse.ENOENT : LibFuse.ENOTDIR);
        return;
      }
      if (buffer.byteSize() < size) {
        buffer = arena.allocate(size, 4096);
      }
      // No entry takes less than 32 bytes of the reply: no more of the listing is read than fits.
      long start = Math.max(offset, 0);
      List<ViewEntry> entries = view.entries(dir, Math.max(start - 2, 0), (int) Math.min(size / 32 + 1, 1 << 16));
      long first = Math.max(start - 2, 0) + 2;
      long used = 0;
      for (long off = start; off < first + entries.size(); off++) {
        byte[] entryName;
        ViewNode n;
        if (off < 2) {
          entryName = off == 0 ? new byte[] {'.'} : new byte[] {'.', '.'};
          n = ids.node(off == 0 ? id : ids.parent(id));
        } else {
          ViewEntry e = entries.get((int) (off - first));
          entryName = e.name();
          n = e.node();
          // The view keeps only names the kernel can take; a name it could not would fail the whole listing.
          if (Names.problem(entryName) != null || entryName.length > Format.NAME_MAX) {
            continue;
          }
        }
        MemorySegment.copy(entryName, 0, name, JAVA_BYTE, 0, entryName.length);
        name.set(JAVA_BYTE, entryName.length, (byte) 0);
        long need;
        if (plus) {
          // Every entry but "." and ".." counts as a lookup of its node id; those two carry none.
          entry.fill((byte) 0);
          entry.set(JAVA_LONG, LibFuse.ENTRY_INO, off < 2 ? 0 : ids.id(n, id));
          fillStat(entry.asSlice(LibFuse.ENTRY_ATTR, LibFuse.STAT_SIZE), n);
          entry.set(JAVA_DOUBLE, LibFuse.ENTRY_ATTR_TIMEOUT, TIMEOUT);
          entry.set(JAVA_DOUBLE, LibFuse.ENTRY_TIMEOUT, TIMEOUT);
          need = (long) Fn.ADD_DIRENTRY_PLUS.invokeExact(req, buffer.asSlice(used), size - used, name, entry, off + 1);
        } else {
          stat.fill((byte) 0);
          stat.set(JAVA_LONG, LibFuse.ST_INO, n.ino());
          stat.set(JAVA_INT, LibFuse.ST_MODE, n.mode());
          need = (long) Fn.ADD_DIRENTRY.invokeExact(req, buffer.asSlice(used), size - used, name, stat, off + 1);
        }
        if (need > size - used) {
          break;
        }
        used += need;
      }
      int r = (int) Fn.REPLY_BUF.invokeExact(req, buffer, used);
    } catch (Throwable t) {
      failed(req, plus ? "readdirplus" : "readdir", t);
    }
  }

  void statfs(MemorySegment req, long id) {
    try {
      statvfs.fill((byte) 0);
      statvfs.set(JAVA_LONG, LibFuse.F_BSIZE, 4096);
      statvfs.set(JAVA_LONG, LibFuse.F_FRSIZE, 4096);
      statvfs.set(JAVA_LONG, LibFuse.F_BLOCKS, statfsBlocks);
      statvfs.set(JAVA_LONG, LibFuse.F_FILES, statfsFiles);
      statvfs.set(JAVA_LONG, LibFuse.F_FLAG, LibFuse.ST_RDONLY);
      statvfs.set(JAVA_LONG, LibFuse.F_NAMEMAX, Format.NAME_MAX);
      int r = (int) Fn.REPLY_STATFS.invokeExact(req, statvfs);
    } catch (Throwable t) {
      failed(req, "statfs", t);
    }
  }

  /** DAXFS v3 stores no extended attributes. */
  void getxattr(MemorySegment req, long id, MemorySegment attr, long size) {
    try {
      LibFuse.replyErr(req, LibFuse.ENODATA);
    } catch (Throwable t) {
      failed(req, "getxattr", t);
    }
  }

  void listxattr(MemorySegment req, long id, long size) {
    try {
      int r = size == 0 ? (int) Fn.REPLY_XATTR.invokeExact(req, 0L)
          : (int) Fn.REPLY_BUF.invokeExact(req, MemorySegment.NULL, 0L);
    } catch (Throwable t) {
      failed(req, "listxattr", t);
    }
  }

  void refuse(MemorySegment req) {
    try {
      LibFuse.replyErr(req, LibFuse.EROFS);
    } catch (Throwable t) {
      failed(req, "write", t);
    }
  }

  // ---- helpers ----

  /** The data runs of file {@code id} (covering it without gaps), or null for an id never given out. */
  private Extent[] runsOf(long id) {
    Extent[] r = runs.get(id);
    ViewNode n;
    if (r == null && (n = ids.node(id)) != null) {
      r = view.extents(n).toArray(Extent[]::new);
      runs.put(id, r);
    }
    return r;
  }

  /** A map keeping the 64 entries used last: what interleaved readers of a few files need. */
  private static <V> Map<Long, V> recent() {
    return new LinkedHashMap<>(128, 0.75f, true) {
      @Override protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
        return size() > 64;
      }
    };
  }

  private void fillStat(MemorySegment s, ViewNode n) {
    s.fill((byte) 0);
    s.set(JAVA_LONG, LibFuse.ST_INO, n.ino());
    s.set(JAVA_LONG, LibFuse.ST_NLINK, view.nlink(n));
    s.set(JAVA_INT, LibFuse.ST_MODE, n.mode());
    s.set(JAVA_INT, LibFuse.ST_UID, n.uid());
    s.set(JAVA_INT, LibFuse.ST_GID, n.gid());
    s.set(JAVA_LONG, LibFuse.ST_SIZE, n.size());
    s.set(JAVA_LONG, LibFuse.ST_BLKSIZE, 4096);
    s.set(JAVA_LONG, LibFuse.ST_BLOCKS, (n.size() + 511) / 512);
  }

  private void setIov(int index, long address, long length) {
    iov.set(JAVA_LONG, index * LibFuse.IOVEC_SIZE, address);
    iov.set(JAVA_LONG, index * LibFuse.IOVEC_SIZE + 8, length);
  }

  /** Index of the run holding {@code offset} (runs cover the file without gaps), or runs.length. */
  private static int first(Extent[] runs, long offset) {
    int lo = 0;
    int hi = runs.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (runs[mid].offset() + runs[mid].length() <= offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A read over more runs than one writev takes (a log of tiny writes): copied once into the reply buffer. */
  private void replyCopied(MemorySegment req, Extent[] runs, long offset, long end) throws Throwable {
    long size = end - offset;
    if (buffer.byteSize() < size) {
      buffer = arena.allocate(size, 4096);
    }
    long pos = offset;
    for (int i = first(runs, offset); pos < end; i++) {
      Extent e = runs[i];
      long len = Math.min(e.offset() + e.length(), end) - pos;
      if (e.isZeros()) {
        buffer.asSlice(pos - offset, len).fill((byte) 0);
      } else {
        MemorySegment.copy(bytes.slice(e.source() + (pos - e.offset()), len, "file data"), 0, buffer, pos - offset, len);
      }
      pos += len;
    }
    int r = (int) Fn.REPLY_BUF.invokeExact(req, buffer, size);
  }

  /** The bytes of a C string the kernel sent (a name), or null when it is longer than any name here. */
  private static byte[] cString(MemorySegment s) {
    MemorySegment m = s.reinterpret(Format.NAME_MAX + 1);
    for (int i = 0; i <= Format.NAME_MAX; i++) {
      if (m.get(JAVA_BYTE, i) == 0) {
        byte[] out = new byte[i];
        MemorySegment.copy(m, JAVA_BYTE, 0, out, 0, i);
        return out;
      }
    }
    return null;
  }

  private void failed(MemorySegment req, String op, Throwable t) {
    if (unexpected++ < MAX_REPORTED) {
      err.println("daxfsfuse: " + op + ": " + t);
      err.flush();
    }
    try {
      LibFuse.replyErr(req, LibFuse.EIO);
    } catch (Throwable ignored) {
      // Nothing is left to tell the kernel; the request was answered or the session is gone.
    }
  }

  private void bind(LibFuse.Op op, String method, MemoryLayout... args) {
    MemoryLayout[] all = new MemoryLayout[args.length + 1];
    all[0] = ADDRESS;
    System.arraycopy(args, 0, all, 1, args.length);
    FunctionDescriptor d = FunctionDescriptor.ofVoid(all);
    try {
      MethodHandle h = MethodHandles.lookup().findVirtual(ViewServer.class, method, d.toMethodType()).bindTo(this);
      ops.set(ADDRESS, op.offset(), LibFuse.LINKER.upcallStub(h, d, arena));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private void refuse(LibFuse.Op op, MemoryLayout... args) {
    MemoryLayout[] all = new MemoryLayout[args.length + 1];
    all[0] = ADDRESS;
    System.arraycopy(args, 0, all, 1, args.length);
    FunctionDescriptor d = FunctionDescriptor.ofVoid(all);
    try {
      MethodHandle h = MethodHandles.lookup().findVirtual(ViewServer.class, "refuse",
          MethodType.methodType(void.class, MemorySegment.class)).bindTo(this);
      List<Class<?>> dropped = new ArrayList<>(d.toMethodType().parameterList().subList(1, all.length));
      h = MethodHandles.dropArguments(h, 1, dropped);
      ops.set(ADDRESS, op.offset(), LibFuse.LINKER.upcallStub(h, d, arena));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
