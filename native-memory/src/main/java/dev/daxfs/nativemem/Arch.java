package dev.daxfs.nativemem;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** The two supported architectures and their struct stat; their constants are in {@link CConstant}. */
enum Arch {
  X86_64(MemoryLayout.structLayout(
      JAVA_LONG.withName("st_dev"), JAVA_LONG.withName("st_ino"), JAVA_LONG.withName("st_nlink"),
      JAVA_INT.withName("st_mode"), JAVA_INT.withName("st_uid"), JAVA_INT.withName("st_gid"),
      JAVA_INT.withName("__pad0"), JAVA_LONG.withName("st_rdev"), JAVA_LONG.withName("st_size"),
      JAVA_LONG.withName("st_blksize"), JAVA_LONG.withName("st_blocks"),
      JAVA_LONG.withName("st_atime"), JAVA_LONG.withName("st_atime_nsec"),
      JAVA_LONG.withName("st_mtime"), JAVA_LONG.withName("st_mtime_nsec"),
      JAVA_LONG.withName("st_ctime"), JAVA_LONG.withName("st_ctime_nsec"),
      MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("__unused"))),
  // The generic layout (asm-generic/stat.h) that arm64 uses.
  AARCH64(MemoryLayout.structLayout(
      JAVA_LONG.withName("st_dev"), JAVA_LONG.withName("st_ino"),
      JAVA_INT.withName("st_mode"), JAVA_INT.withName("st_nlink"),
      JAVA_INT.withName("st_uid"), JAVA_INT.withName("st_gid"),
      JAVA_LONG.withName("st_rdev"), JAVA_LONG.withName("__pad1"), JAVA_LONG.withName("st_size"),
      JAVA_INT.withName("st_blksize"), JAVA_INT.withName("__pad2"), JAVA_LONG.withName("st_blocks"),
      JAVA_LONG.withName("st_atime"), JAVA_LONG.withName("st_atime_nsec"),
      JAVA_LONG.withName("st_mtime"), JAVA_LONG.withName("st_mtime_nsec"),
      JAVA_LONG.withName("st_ctime"), JAVA_LONG.withName("st_ctime_nsec"),
      MemoryLayout.sequenceLayout(2, JAVA_INT).withName("__unused")));

  private final StructLayout stat;

  Arch(StructLayout stat) {
    this.stat = stat;
  }

  StructLayout stat() { return stat; }

  static Arch current() {
    return of(System.getProperty("os.arch"));
  }

  static Arch of(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> AARCH64;
      default -> throw new UnsupportedArchitectureException(osArch);
    };
  }
}
