package dev.daxfs.nativemem;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** What differs between the two supported architectures: struct stat, open flags and syscall numbers. */
enum Arch {
  X86_64(0x410000, MemoryLayout.structLayout(
      JAVA_LONG.withName("st_dev"), JAVA_LONG.withName("st_ino"), JAVA_LONG.withName("st_nlink"),
      JAVA_INT.withName("st_mode"), JAVA_INT.withName("st_uid"), JAVA_INT.withName("st_gid"),
      JAVA_INT.withName("__pad0"), JAVA_LONG.withName("st_rdev"), JAVA_LONG.withName("st_size"),
      JAVA_LONG.withName("st_blksize"), JAVA_LONG.withName("st_blocks"),
      JAVA_LONG.withName("st_atime"), JAVA_LONG.withName("st_atime_nsec"),
      JAVA_LONG.withName("st_mtime"), JAVA_LONG.withName("st_mtime_nsec"),
      JAVA_LONG.withName("st_ctime"), JAVA_LONG.withName("st_ctime_nsec"),
      MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("__unused"))),
  // The generic layout (asm-generic/stat.h) that arm64 uses.
  AARCH64(0x404000, MemoryLayout.structLayout(
      JAVA_LONG.withName("st_dev"), JAVA_LONG.withName("st_ino"),
      JAVA_INT.withName("st_mode"), JAVA_INT.withName("st_nlink"),
      JAVA_INT.withName("st_uid"), JAVA_INT.withName("st_gid"),
      JAVA_LONG.withName("st_rdev"), JAVA_LONG.withName("__pad1"), JAVA_LONG.withName("st_size"),
      JAVA_INT.withName("st_blksize"), JAVA_INT.withName("__pad2"), JAVA_LONG.withName("st_blocks"),
      JAVA_LONG.withName("st_atime"), JAVA_LONG.withName("st_atime_nsec"),
      JAVA_LONG.withName("st_mtime"), JAVA_LONG.withName("st_mtime_nsec"),
      JAVA_LONG.withName("st_ctime"), JAVA_LONG.withName("st_ctime_nsec"),
      MemoryLayout.sequenceLayout(2, JAVA_INT).withName("__unused")));

  // The mount API and pidfds came after the syscall tables were unified: both use the generic numbers.
  static final long MOVE_MOUNT = 429;
  static final long FSOPEN = 430;
  static final long FSCONFIG = 431;
  static final long FSMOUNT = 432;
  static final long PIDFD_OPEN = 434;
  static final long PIDFD_GETFD = 438;

  private final int oTmpfile;
  private final StructLayout stat;

  Arch(int oTmpfile, StructLayout stat) {
    this.oTmpfile = oTmpfile;
    this.stat = stat;
  }

  /** O_TMPFILE: __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY differs between the two. */
  int oTmpfile() { return oTmpfile; }

  StructLayout stat() { return stat; }

  static Arch current() {
    return of(System.getProperty("os.arch"));
  }

  static Arch of(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> AARCH64;
      default -> throw new UnsupportedOperationException("unsupported architecture " + osArch
          + " (native memory targets support x86_64 and aarch64)");
    };
  }
}
