package dev.daxfs.nativemem;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The fields of struct stat the project uses. */
record FileStat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size, long blocks, long mtime) {

  boolean isCharacterDevice() {
    return (mode & LibC.S_IFMT) == LibC.S_IFCHR;
  }

  FileType type() { return FileType.of(mode); }

  static FileStat decode(MemorySegment stat) {
    return new FileStat(
        field(stat, "st_dev"), field(stat, "st_ino"), field(stat, "st_nlink"), (int) field(stat, "st_mode"),
        (int) field(stat, "st_uid"), (int) field(stat, "st_gid"), field(stat, "st_rdev"), field(stat, "st_size"), field(stat, "st_blocks"),
        field(stat, "st_mtime"));
  }

  // st_nlink and st_mode differ in width between the architectures; read each at its own width.
  private static long field(MemorySegment stat, String name) {
    var layout = KernelStructs.STAT.select(PathElement.groupElement(name));
    long offset = KernelStructs.STAT.byteOffset(PathElement.groupElement(name));
    return layout.byteSize() == 8 ? stat.get(ValueLayout.JAVA_LONG, offset)
        : Integer.toUnsignedLong(stat.get(ValueLayout.JAVA_INT, offset));
  }
}
