package dev.daxfs.fuzz;

import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Node;
import dev.daxfs.format.Structs;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * One edit of a good image per hazard the kernel model knows, each one the kernel's validate option
 * lets through unless stated. Sample tree inode numbers (pre-order by name): 1 /, 2 dir, 3 dir/a,
 * 4 dir/b, 5 dir/nested, 6 dir/nested/leaf, 7 empty, 8 hello, 9 link, 10 void; root lists dir,
 * empty, hello, link, void.
 */
final class HostileImages {
  private HostileImages() {}

  record Case(String name, Hazard.Kind kind, Supplier<byte[]> image) {
    @Override public String toString() { return name; }
  }

  private static final long BASE = 4096;                 // static image: base right after the superblock
  private static final long TABLE = BASE + 4096;          // inode table

  static byte[] staticImage() { return Images.write(Images.sampleTree(), ImageSpec.staticImage()); }

  static byte[] branching() { return Images.write(Images.sampleTree(), ImageSpec.branching(1 << 20)); }

  private static long inode(long ino) { return TABLE + (ino - 1) * Format.INODE_SIZE; }

  /** Absolute offset of the i-th dirent of directory {@code dir} in a static image. */
  private static long dirent(byte[] image, long dir, int i) {
    return BASE + Images.u64(image, inode(dir) + Structs.offset(Structs.INODE, "data_offset"))
        + (long) i * Format.DIRENT_SIZE;
  }

  private static void rename(byte[] image, long dirent, String name) {
    byte[] n = name.getBytes();
    Images.putU16(image, dirent + 8, n.length);
    Arrays.fill(image, (int) dirent + 16, (int) dirent + 16 + Format.NAME_MAX, (byte) 0);
    System.arraycopy(n, 0, image, (int) dirent + 16, n.length);
  }

  private static byte[] edit(byte[] image, java.util.function.Consumer<byte[]> change) {
    change.accept(image);
    return image;
  }

  private static long sb(String field) { return Structs.offset(Structs.SUPERBLOCK, field); }

  static final List<Case> CASES = List.of(
      new Case("dot name", Hazard.Kind.REFUSED_NAME,
          () -> edit(staticImage(), b -> rename(b, dirent(b, 1, 0), "."))),
      new Case("slash in a name", Hazard.Kind.REFUSED_NAME,
          () -> edit(staticImage(), b -> rename(b, dirent(b, 1, 2), "a/b"))),
      new Case("duplicate name", Hazard.Kind.DUPLICATE_NAME,
          () -> edit(staticImage(), b -> rename(b, dirent(b, 1, 1), "dir"))),
      new Case("directory containing its ancestor", Hazard.Kind.UNBOUNDED_WALK, () -> edit(staticImage(), b -> {
        Images.putU32(b, dirent(b, 2, 0), 1);
        Images.putU32(b, dirent(b, 2, 0) + 4, Format.S_IFDIR | 0755);
      })),
      new Case("directory under two names", Hazard.Kind.DIRECTORY_ALIAS,
          () -> edit(staticImage(), b -> Images.putU32(b, dirent(b, 1, 4), 5))),
      new Case("dirent type differs from the inode", Hazard.Kind.WRONG_CONTENT,
          () -> edit(staticImage(), b -> Images.putU32(b, dirent(b, 1, 2) + 4, Format.S_IFDIR | 0755))),
      new Case("file data over the inode table", Hazard.Kind.OVERLAPPING_EXTENTS,
          () -> edit(staticImage(), b -> Images.putU64(b, inode(8) + Structs.offset(Structs.INODE, "data_offset"), 4096))),
      new Case("root not a directory", Hazard.Kind.WRONG_CONTENT,
          () -> edit(staticImage(), b -> Images.putU32(b, inode(1) + 4, Format.S_IFREG | 0644))),
      new Case("symlink size longer than its target", Hazard.Kind.WRONG_CONTENT,
          () -> edit(staticImage(), b -> Images.putU64(b, inode(9) + 16, 7))),
      new Case("branch table at offset 0", Hazard.Kind.WRITE_OUTSIDE_DELTA,
          () -> edit(branching(), b -> Images.putU64(b, sb("branch_table_offset"), 0))),
      new Case("delta_alloc_offset behind the delta region", Hazard.Kind.WRITE_OUTSIDE_DELTA,
          () -> edit(branching(), b -> Images.putU64(b, sb("delta_alloc_offset"), Images.u64(b, sb("base_offset"))))),
      new Case("delta region full", Hazard.Kind.MOUNT_REFUSED,
          () -> edit(branching(), b -> Images.putU64(b, sb("delta_alloc_offset"), b.length - 100))),
      new Case("next_inode_id inside the base", Hazard.Kind.INODE_COLLISION,
          () -> edit(branching(), b -> Images.putU64(b, sb("next_inode_id"), 3))),
      new Case("image shorter than its regions", Hazard.Kind.MOUNT_REFUSED,
          () -> Arrays.copyOf(staticImage(), 4096 + 4096 + 100)),
      new Case("persisted create over a base inode", Hazard.Kind.INODE_COLLISION, HostileImages::collidingLog));

  /** A persisted main whose log creates inode 2, which the base already has: the kernel's numbering bug. */
  private static byte[] collidingLog() {
    byte[] image = branching();
    long table = Images.u64(image, sb("branch_table_offset"));
    long delta = Images.u64(image, sb("delta_region_offset"));
    byte[] log = new DeltaLogBuilder().create(1, 2, Format.S_IFREG | 0644, Node.name("new")).toByteArray();
    System.arraycopy(log, 0, image, (int) delta, log.length);
    Images.putU64(image, table + 16, delta);
    Images.putU64(image, table + 24, log.length);
    Images.putU64(image, table + 32, Format.KERNEL_LOG_CAPACITY);
    Images.putU32(image, table + 40, Format.BRANCH_ACTIVE);
    Images.putU64(image, table, 1);
    Images.putU64(image, table + 48, 2);
    System.arraycopy("main".getBytes(), 0, image, (int) table + 56, 4);
    Images.putU64(image, sb("delta_alloc_offset"), delta + Format.KERNEL_LOG_CAPACITY);
    Images.putU32(image, sb("active_branches"), 1);
    Images.putU64(image, sb("next_branch_id"), 2);
    return image;
  }
}
