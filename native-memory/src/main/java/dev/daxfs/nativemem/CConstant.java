package dev.daxfs.nativemem;

/**
 * Every C constant this module passes to the kernel, with its value on each supported
 * architecture. Most are the same everywhere, but arm64 moves four open(2) flags: its O_DIRECTORY
 * is x86_64's O_DIRECT, and its 0x20000 (x86_64's O_NOFOLLOW) is O_LARGEFILE, so one set of
 * values cannot serve both. A new constant is a new row here with both values, read through
 * {@link #value()}; {@code CConstantTest} compiles a C program that prints every row's C name on
 * the build machine and compares, so a wrong value fails the build there.
 */
enum CConstant {
  // fcntl.h: asm-generic/fcntl.h (x86_64) and arch/arm64/include/uapi/asm/fcntl.h.
  O_RDONLY(0),
  O_WRONLY(1),
  O_RDWR(2),
  O_CREAT(0x40),
  O_EXCL(0x80),
  O_DIRECT(0x4000, 0x10000),
  O_DIRECTORY(0x10000, 0x4000),
  O_NOFOLLOW(0x20000, 0x8000),
  O_NONBLOCK(0x800),
  O_CLOEXEC(0x80000),
  O_SYNC(0x101000),
  O_PATH(0x200000),
  O_TMPFILE(0x400000 | 0x10000, 0x400000 | 0x4000),
  AT_FDCWD(-100),
  AT_SYMLINK_NOFOLLOW(0x100),
  AT_SYMLINK_FOLLOW(0x400),
  AT_EMPTY_PATH(0x1000),
  SEEK_END(2),
  SEEK_DATA(3),
  SEEK_HOLE(4),
  // sys/stat.h
  S_IFMT(0xf000),
  S_IFCHR(0x2000),
  S_IFDIR(0x4000),
  S_IFREG(0x8000),
  S_IFBLK(0x6000),
  S_IFIFO(0x1000),
  S_IFLNK(0xa000),
  S_IFSOCK(0xc000),
  // linux/fs.h: _IOR(0x12, 114, size_t), a block device's size in bytes.
  BLKGETSIZE64(0x80081272L),
  // sys/mman.h
  PROT_READ(1),
  PROT_WRITE(2),
  MAP_SHARED(1),
  MS_ASYNC(1),
  MADV_DONTNEED(4),
  // The mount API and pidfds came after the syscall tables were unified: the generic numbers.
  SYS_MOVE_MOUNT("SYS_move_mount", 429, 429),
  SYS_FSOPEN("SYS_fsopen", 430, 430),
  SYS_FSCONFIG("SYS_fsconfig", 431, 431),
  SYS_FSMOUNT("SYS_fsmount", 432, 432),
  SYS_PIDFD_OPEN("SYS_pidfd_open", 434, 434),
  SYS_PIDFD_GETFD("SYS_pidfd_getfd", 438, 438),
  // linux/dma-heap.h, linux/dma-buf.h: _IOWR('H', 0, 24 bytes) and _IOW('b', 0, 8 bytes), the
  // generic ioctl encoding both architectures use.
  DMA_HEAP_IOCTL_ALLOC(0xC0184800L),
  DMA_BUF_IOCTL_SYNC(0x40086200L);

  private final String cName;
  private final long x86_64;
  private final long aarch64;

  CConstant(long everywhere) {
    this(null, everywhere, everywhere);
  }

  CConstant(long x86_64, long aarch64) {
    this(null, x86_64, aarch64);
  }

  CConstant(String cName, long x86_64, long aarch64) {
    this.cName = cName == null ? name() : cName;
    this.x86_64 = x86_64;
    this.aarch64 = aarch64;
  }

  /** The value on this machine; refuses an architecture the table has no column for. */
  long value() {
    return on(Arch.current());
  }

  long on(Arch arch) {
    return switch (arch) {
      case X86_64 -> x86_64;
      case AARCH64 -> aarch64;
    };
  }

  /** The name of this constant in the C headers. */
  String cName() { return cName; }
}
