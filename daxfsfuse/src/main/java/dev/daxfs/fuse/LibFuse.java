package dev.daxfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The part of libfuse3's low-level API (fuse_lowlevel.h, FUSE_USE_VERSION 3.x, x86-64 and arm64
 * Linux struct layouts) daxfsfuse uses, bound through FFM. The low-level API because it names
 * files by the kernel's node ids and passes each name as the bytes the kernel sent: the
 * high-level API (and jfuse on top of it) turns whole paths into Java Strings, which loses every
 * name that is not UTF-8.
 */
final class LibFuse {
  private LibFuse() {}

  // struct stat (glibc, 64-bit Linux): 144 bytes.
  static final long STAT_SIZE = 144;
  static final long ST_INO = 8;
  static final long ST_NLINK = 16;
  static final long ST_MODE = 24;
  static final long ST_UID = 28;
  static final long ST_GID = 32;
  static final long ST_SIZE = 48;
  static final long ST_BLKSIZE = 56;
  static final long ST_BLOCKS = 64;

  // struct fuse_entry_param: ino, generation, struct stat attr, double attr_timeout, double entry_timeout.
  static final long ENTRY_SIZE = 176;
  static final long ENTRY_INO = 0;
  static final long ENTRY_ATTR = 16;
  static final long ENTRY_ATTR_TIMEOUT = 160;
  static final long ENTRY_TIMEOUT = 168;

  // struct fuse_file_info: int flags, then a 32-bit word of bit fields, padding, uint64 fh, ...
  static final long FI_SIZE = 24;
  static final long FI_BITS = 4;
  static final int FI_KEEP_CACHE = 1 << 2;
  static final int FI_CACHE_READDIR = 1 << 6;

  // struct fuse_conn_info (libfuse 3.0 to 3.16): unsigned proto_major, proto_minor, max_write,
  // max_read, max_readahead, capable, want, ...
  static final long CONN_SIZE = 128;
  static final long CONN_CAPABLE = 20;
  static final long CONN_WANT = 24;
  /** Opens need no round trip: the kernel opens files itself, keeping their cached pages. */
  static final int CAP_NO_OPEN_SUPPORT = 1 << 17;
  static final int CAP_CACHE_SYMLINKS = 1 << 23;
  /** The same for directories, whose listings the kernel then caches. */
  static final int CAP_NO_OPENDIR_SUPPORT = 1 << 24;

  // struct statvfs (glibc, 64-bit): eleven unsigned longs, then spare ints; 112 bytes.
  static final long STATVFS_SIZE = 112;
  static final long F_BSIZE = 0;
  static final long F_FRSIZE = 8;
  static final long F_BLOCKS = 16;
  static final long F_FILES = 40;
  static final long F_FLAG = 72;
  static final long F_NAMEMAX = 80;
  static final long ST_RDONLY = 1;

  // struct iovec: base pointer, length.
  static final long IOVEC_SIZE = 16;

  // struct fuse_args: int argc, char **argv, int allocated.
  static final long ARGS_SIZE = 24;
  static final long ARGS_ARGV = 8;

  /** struct fuse_lowlevel_ops: one function pointer per operation, in this order (libfuse 3.14). */
  enum Op {
    INIT, DESTROY, LOOKUP, FORGET, GETATTR, SETATTR, READLINK, MKNOD, MKDIR, UNLINK, RMDIR, SYMLINK, RENAME,
    LINK, OPEN, READ, WRITE, FLUSH, RELEASE, FSYNC, OPENDIR, READDIR, RELEASEDIR, FSYNCDIR, STATFS, SETXATTR,
    GETXATTR, LISTXATTR, REMOVEXATTR, ACCESS, CREATE, GETLK, SETLK, BMAP, IOCTL, POLL, WRITE_BUF,
    RETRIEVE_REPLY, FORGET_MULTI, FLOCK, FALLOCATE, READDIRPLUS, COPY_FILE_RANGE, LSEEK;

    long offset() { return (long) ordinal() * ADDRESS.byteSize(); }
  }

  static final long OPS_SIZE = Op.values().length * ADDRESS.byteSize();

  static final int ENOENT = 2;
  static final int EIO = 5;
  static final int ENOTDIR = 20;
  static final int ENOSYS = 38;
  static final int EINVAL = 22;
  static final int EROFS = 30;
  static final int ERANGE = 34;
  static final int ENODATA = 61;
  static final int MNT_DETACH = 2;

  static final Linker LINKER = Linker.nativeLinker();

  // libc's, apart from libfuse3 (they work where libfuse3 is missing).
  static final MethodHandle UMOUNT2 = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("umount2"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

  /** The library and its functions, loaded on first use (so --help works where libfuse3 is missing). */
  static final class Fn {
    private Fn() {}

    private static final SymbolLookup LIB = load();

    static final MethodHandle SESSION_NEW = call("fuse_session_new",
        FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    static final MethodHandle SESSION_MOUNT = call("fuse_session_mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SESSION_LOOP = call("fuse_session_loop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SESSION_UNMOUNT = call("fuse_session_unmount", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle SESSION_DESTROY = call("fuse_session_destroy", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle REPLY_ERR = call("fuse_reply_err", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle REPLY_ENTRY = call("fuse_reply_entry", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle REPLY_ATTR = call("fuse_reply_attr",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_DOUBLE));
    static final MethodHandle REPLY_READLINK = call("fuse_reply_readlink",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle REPLY_OPEN = call("fuse_reply_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle REPLY_BUF = call("fuse_reply_buf",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle REPLY_IOV = call("fuse_reply_iov",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle REPLY_STATFS = call("fuse_reply_statfs",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle REPLY_XATTR = call("fuse_reply_xattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle ADD_DIRENTRY = call("fuse_add_direntry",
        FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle ADD_DIRENTRY_PLUS = call("fuse_add_direntry_plus",
        FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));

    private static SymbolLookup load() {
      try {
        return SymbolLookup.libraryLookup("libfuse3.so.3", Arena.global());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("libfuse3 is not installed (Debian: apt install fuse3 libfuse3-3)");
      }
    }

    private static MethodHandle call(String name, FunctionDescriptor d) {
      return LINKER.downcallHandle(LIB.findOrThrow(name), d);
    }
  }

  /** Throws what a downcall threw; none of these C functions throws, so anything here is a bug. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  static int replyErr(MemorySegment req, int errno) {
    try {
      return (int) Fn.REPLY_ERR.invokeExact(req, errno);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }
}
