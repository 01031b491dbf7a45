package dev.daxfs.nativemem;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Every downcall of the project. Each call captures errno, which is read only when the return
 * value says the call failed (after a success it is stale), and a failure becomes a
 * {@link SystemCallException} naming the call and its target.
 */
final class LibC {
  // The values per architecture are in CConstant; a new constant goes there.
  static final int O_RDONLY = (int) CConstant.O_RDONLY.value();
  static final int O_WRONLY = (int) CConstant.O_WRONLY.value();
  static final int O_RDWR = (int) CConstant.O_RDWR.value();
  static final int O_CREAT = (int) CConstant.O_CREAT.value();
  static final int O_EXCL = (int) CConstant.O_EXCL.value();
  static final int O_DIRECTORY = (int) CConstant.O_DIRECTORY.value();
  static final int O_NOFOLLOW = (int) CConstant.O_NOFOLLOW.value();
  static final int O_CLOEXEC = (int) CConstant.O_CLOEXEC.value();
  static final int O_SYNC = (int) CConstant.O_SYNC.value();
  static final int O_TMPFILE = (int) CConstant.O_TMPFILE.value();
  static final long AT_FDCWD = CConstant.AT_FDCWD.value();
  static final int AT_SYMLINK_NOFOLLOW = (int) CConstant.AT_SYMLINK_NOFOLLOW.value();
  static final int AT_SYMLINK_FOLLOW = (int) CConstant.AT_SYMLINK_FOLLOW.value();
  static final int AT_EMPTY_PATH = (int) CConstant.AT_EMPTY_PATH.value();
  static final int SEEK_END = (int) CConstant.SEEK_END.value();
  static final int SEEK_DATA = (int) CConstant.SEEK_DATA.value();
  static final int SEEK_HOLE = (int) CConstant.SEEK_HOLE.value();
  static final int S_IFMT = (int) CConstant.S_IFMT.value();
  static final int S_IFCHR = (int) CConstant.S_IFCHR.value();
  static final int PROT_READ = (int) CConstant.PROT_READ.value();
  static final int PROT_WRITE = (int) CConstant.PROT_WRITE.value();
  static final int MAP_SHARED = (int) CConstant.MAP_SHARED.value();
  static final int MS_ASYNC = (int) CConstant.MS_ASYNC.value();
  static final int MADV_DONTNEED = (int) CConstant.MADV_DONTNEED.value();
  static final int O_NONBLOCK = (int) CConstant.O_NONBLOCK.value();
  static final int S_IFDIR = (int) CConstant.S_IFDIR.value();
  static final int S_IFREG = (int) CConstant.S_IFREG.value();
  static final int S_IFBLK = (int) CConstant.S_IFBLK.value();
  static final int S_IFIFO = (int) CConstant.S_IFIFO.value();
  static final int S_IFLNK = (int) CConstant.S_IFLNK.value();
  static final int S_IFSOCK = (int) CConstant.S_IFSOCK.value();
  static final long BLKGETSIZE64 = CConstant.BLKGETSIZE64.value();

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

  // Each downcall is linked on its first use, by its holder class's initialisation: linking spins a
  // stub class (about 5 ms of a cold JVM's time each), and a check of an image needs 6 of the 24.
  private static final class Open {
    static final MethodHandle CALL = errnoCall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
  }
  private static final class Close {
    static final MethodHandle CALL = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  }
  // ioctl(int fd, unsigned long request, ...): the argument is variadic.
  private static final class Ioctl {
    static final MethodHandle CALL = errnoCall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
  }
  private static final class Mmap {
    static final MethodHandle CALL = errnoCall("mmap",
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  }
  private static final class Munmap {
    static final MethodHandle CALL = errnoCall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  }
  private static final class Madvise {
    static final MethodHandle CALL = errnoCall("madvise",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  }
  private static final class Msync {
    static final MethodHandle CALL = errnoCall("msync",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  }
  private static final class Fstat {
    static final MethodHandle CALL = errnoCall("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  }
  private static final class Fstatfs {
    static final MethodHandle CALL = errnoCall("fstatfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  }
  private static final class Lseek {
    static final MethodHandle CALL = errnoCall("lseek",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
  }
  private static final class Read {
    static final MethodHandle CALL = errnoCall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  }
  // long syscall(long number, ...): every argument after the number is variadic and passed as a
  // 64-bit value; unused trailing arguments are ignored by the kernel.
  private static final class Syscall {
    static final MethodHandle CALL = errnoCall("syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
        Linker.Option.firstVariadicArg(1));
  }
  // Byte paths (BytePath, OpenDirectory): NUL-terminated byte strings, never decoded.
  private static final class Readlink {
    static final MethodHandle CALL = errnoCall("readlink",
        FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  }
  private static final class Pwrite {
    static final MethodHandle CALL = errnoCall("pwrite",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
  }
  private static final class Ftruncate {
    static final MethodHandle CALL = errnoCall("ftruncate",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
  }
  private static final class Fchmod {
    static final MethodHandle CALL = errnoCall("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  }
  private static final class Fchown {
    static final MethodHandle CALL = errnoCall("fchown",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  }
  private static final class Linkat {
    static final MethodHandle CALL = errnoCall("linkat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
  }
  // The *at calls: everything relative to an open directory, so no path is walked twice.
  private static final class Openat {
    static final MethodHandle CALL = errnoCall("openat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
  }
  private static final class Mkdirat {
    static final MethodHandle CALL = errnoCall("mkdirat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  }
  private static final class Symlinkat {
    static final MethodHandle CALL = errnoCall("symlinkat",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
  }
  private static final class Fchownat {
    static final MethodHandle CALL = errnoCall("fchownat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
  }
  private static final class Pread {
    static final MethodHandle CALL = errnoCall("pread",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
  }
  private static final class Strerror {
    static final MethodHandle CALL = LINKER.downcallHandle(
        LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
  }

  private LibC() {}

  private static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... more) {
    Linker.Option[] options = new Linker.Option[more.length + 1];
    options[0] = Linker.Option.captureCallState("errno");
    System.arraycopy(more, 0, options, 1, more.length);
    return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, options);
  }

  static int open(String path, int flags) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = arena.allocateFrom(path);
      return (int) call("open", path, state -> (int) Open.CALL.invokeExact(state, cPath, flags, 0));
    }
  }

  static void close(int fd, String target) throws SystemCallException {
    call("close", target, state -> (int) Close.CALL.invokeExact(state, fd));
  }

  /** ioctl with a pointer argument; {@code name} is the request's name, for the error message. */
  static int ioctl(int fd, long request, MemorySegment arg, String name, String target) throws SystemCallException {
    return (int) call("ioctl(" + name + ")", target, state -> (int) Ioctl.CALL.invokeExact(state, fd, request, arg));
  }

  /** Maps {@code length} bytes of {@code fd} at {@code offset}; the result is a zero-length address. */
  static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, String target)
      throws SystemCallException {
    // MAP_FAILED is (void *) -1; user-space addresses are never negative as longs.
    return MemorySegment.ofAddress(call("mmap", target, state ->
        ((MemorySegment) Mmap.CALL.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd, offset)).address()));
  }

  /** Unmaps a range this process mapped; failing means the arguments were wrong, a bug. */
  static void munmap(MemorySegment address, long length) {
    try {
      call("munmap", Long.toHexString(address.address()),
          state -> (int) Munmap.CALL.invokeExact(state, address, length));
    } catch (SystemCallException e) {
      throw new IllegalStateException(e);
    }
  }

  static void madvise(MemorySegment range, int advice, String target) throws SystemCallException {
    call("madvise", target, state -> (int) Madvise.CALL.invokeExact(state, range, range.byteSize(), advice));
  }

  static void msync(MemorySegment mapping, int flags, String target) throws SystemCallException {
    call("msync", target, state -> (int) Msync.CALL.invokeExact(state, mapping, mapping.byteSize(), flags));
  }

  static FileStat fstat(int fd, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stat = arena.allocate(KernelStructs.STAT);
      call("fstat", target, state -> (int) Fstat.CALL.invokeExact(state, fd, stat));
      return FileStat.decode(stat);
    }
  }

  /** f_type of the filesystem {@code fd} is on (the first member of struct statfs on both architectures). */
  static long filesystemType(int fd, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      // struct statfs is 120 bytes on x86_64 and arm64; room to spare.
      MemorySegment statfs = arena.allocate(256, 8);
      call("fstatfs", target, state -> (int) Fstatfs.CALL.invokeExact(state, fd, statfs));
      return statfs.get(JAVA_LONG, 0);
    }
  }

  static long lseek(int fd, long offset, int whence, String target) throws SystemCallException {
    return call("lseek", target, state -> (long) Lseek.CALL.invokeExact(state, fd, offset, whence));
  }

  static long read(int fd, MemorySegment buffer, String target) throws SystemCallException {
    return call("read", target, state -> (long) Read.CALL.invokeExact(state, fd, buffer, buffer.byteSize()));
  }

  /** A raw system call with up to five arguments, each as a 64-bit value. */
  static long syscall(String name, String target, long number, long a1, long a2, long a3, long a4, long a5)
      throws SystemCallException {
    return call(name, target, state -> (long) Syscall.CALL.invokeExact(state, number, a1, a2, a3, a4, a5));
  }

  /** open(2) of a byte path with a mode for O_CREAT; {@code target} names it in messages. */
  static int open(byte[] path, int flags, int mode, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = cString(arena, path);
      return (int) call("open", target, state -> (int) Open.CALL.invokeExact(state, cPath, flags, mode));
    }
  }

  /** readlink(2): a symlink's target exactly as the kernel holds it (Path.readSymbolicLink drops a trailing '/'). */
  static byte[] readlink(byte[] path, String target) throws SystemCallException {
    // PATH_MAX: the kernel refuses longer targets, so a full buffer never means one was cut short.
    int max = 4096;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = cString(arena, path);
      MemorySegment buf = arena.allocate(max);
      long n = call("readlink", target, state -> (long) Readlink.CALL.invokeExact(state, cPath, buf, (long) max));
      return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
  }

  /** pwrite(2) of all of {@code data} (which may be any segment: heap or mapped) at {@code offset}. */
  static void pwriteFully(int fd, MemorySegment data, long offset, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      // A native buffer: heap segments cannot be passed to a downcall.
      MemorySegment buffer = data.isNative() ? data : arena.allocate(data.byteSize()).copyFrom(data);
      for (long done = 0; done < buffer.byteSize(); ) {
        MemorySegment rest = buffer.asSlice(done);
        long at = offset + done;
        done += call("pwrite", target, state -> (long) Pwrite.CALL.invokeExact(state, fd, rest, rest.byteSize(), at));
      }
    }
  }

  static void ftruncate(int fd, long size, String target) throws SystemCallException {
    call("ftruncate", target, state -> (int) Ftruncate.CALL.invokeExact(state, fd, size));
  }

  static void fchmod(int fd, int mode, String target) throws SystemCallException {
    call("fchmod", target, state -> (int) Fchmod.CALL.invokeExact(state, fd, mode));
  }

  static void fchown(int fd, int uid, int gid, String target) throws SystemCallException {
    call("fchown", target, state -> (int) Fchown.CALL.invokeExact(state, fd, uid, gid));
  }

  /** linkat(2) from {@code oldPath} to {@code newPath}, both relative to the working directory. */
  static void linkat(String oldPath, byte[] newPath, int flags, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cOld = arena.allocateFrom(oldPath);
      MemorySegment cNew = cString(arena, newPath);
      int cwd = (int) AT_FDCWD;
      call("linkat", target, state -> (int) Linkat.CALL.invokeExact(state, cwd, cOld, cwd, cNew, flags));
    }
  }

  static int openat(int dirfd, byte[] name, int flags, int mode, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cName = cString(arena, name);
      return (int) call("openat", target, state -> (int) Openat.CALL.invokeExact(state, dirfd, cName, flags, mode));
    }
  }

  static void mkdirat(int dirfd, byte[] name, int mode, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cName = cString(arena, name);
      call("mkdirat", target, state -> (int) Mkdirat.CALL.invokeExact(state, dirfd, cName, mode));
    }
  }

  static void symlinkat(byte[] linkTarget, int dirfd, byte[] name, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cTarget = cString(arena, linkTarget);
      MemorySegment cName = cString(arena, name);
      call("symlinkat", target, state -> (int) Symlinkat.CALL.invokeExact(state, cTarget, dirfd, cName));
    }
  }

  /** fchownat(2) of the entry itself, never what a symlink names. */
  static void lchownat(int dirfd, byte[] name, int uid, int gid, String target) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cName = cString(arena, name);
      call("fchownat", target,
          state -> (int) Fchownat.CALL.invokeExact(state, dirfd, cName, uid, gid, AT_SYMLINK_NOFOLLOW));
    }
  }

  /** pread(2) into {@code buffer} (native) at {@code offset}; 0 at the end of the file. */
  static long pread(int fd, MemorySegment buffer, long offset, String target) throws SystemCallException {
    return call("pread", target, state -> (long) Pread.CALL.invokeExact(state, fd, buffer, buffer.byteSize(), offset));
  }

  private static MemorySegment cString(Arena arena, byte[] bytes) {
    MemorySegment s = arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
    return s;
  }

  /** One downcall that fills the call state it is given and returns a negative value on failure. */
  @FunctionalInterface
  private interface Downcall {
    long invoke(MemorySegment callState) throws Throwable;
  }

  private static long call(String name, String target, Downcall downcall) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      long rc;
      try {
        rc = downcall.invoke(state);
      } catch (Throwable t) {
        throw unexpected(t);
      }
      if (rc < 0) {
        throw failure(name, target, state);
      }
      return rc;
    }
  }

  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) Strerror.CALL.invokeExact(errno);
      return text.reinterpret(Integer.MAX_VALUE).getString(0);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  private static SystemCallException failure(String call, String target, MemorySegment state) {
    int errno = (int) ERRNO.get(state, 0L);
    return new SystemCallException(call, target, errno, strerror(errno), null);
  }

  // A downcall only throws what its Java side throws (wrong types would fail at link time).
  private static RuntimeException unexpected(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
