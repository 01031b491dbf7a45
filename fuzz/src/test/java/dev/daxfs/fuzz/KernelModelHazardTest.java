package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Node;
import dev.daxfs.format.Structs;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each hazard the model knows, provoked by one edit of a good image that the kernel's validate
 * option lets through (or, where stated, that only a mount without validate reaches).
 * Sample tree inode numbers (pre-order by name): 1 /, 2 dir, 3 dir/a, 4 dir/b, 5 dir/nested,
 * 6 dir/nested/leaf, 7 empty, 8 hello, 9 link, 10 void; root lists dir, empty, hello, link, void.
 */
class KernelModelHazardTest {
  private static final long BASE = 4096;                 // static image: base right after the superblock
  private static final long TABLE = BASE + 4096;          // inode table

  private static byte[] staticImage() { return Images.write(Images.sampleTree(), ImageSpec.staticImage()); }

  private static byte[] branching() { return Images.write(Images.sampleTree(), ImageSpec.branching(1 << 20)); }

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

  private static KernelModel.Report expect(byte[] image, Hazard.Kind kind) {
    KernelModel.Report r = KernelModel.examine(image);
    assertTrue(r.hazards().stream().anyMatch(h -> h.kind() == kind), () -> "expected " + kind + " in " + r);
    return r;
  }

  @Test
  void dotNameIsRefused() {
    byte[] image = staticImage();
    rename(image, dirent(image, 1, 0), ".");
    assertTrue(expect(image, Hazard.Kind.REFUSED_NAME).mounted(), "validate does not check names");
  }

  @Test
  void slashInNameIsRefused() {
    byte[] image = staticImage();
    rename(image, dirent(image, 1, 2), "a/b");
    expect(image, Hazard.Kind.REFUSED_NAME);
  }

  @Test
  void duplicateNameHidesTheSecondEntry() {
    byte[] image = staticImage();
    rename(image, dirent(image, 1, 1), "dir");
    expect(image, Hazard.Kind.DUPLICATE_NAME);
  }

  @Test
  void directoryContainingItsAncestorIsAnEndlessWalk() {
    byte[] image = staticImage();
    long de = dirent(image, 2, 0);
    Images.putU32(image, de, 1);
    Images.putU32(image, de + 4, Format.S_IFDIR | 0755);
    expect(image, Hazard.Kind.UNBOUNDED_WALK);
  }

  @Test
  void directoryUnderTwoNamesIsAnAlias() {
    byte[] image = staticImage();
    Images.putU32(image, dirent(image, 1, 4), 5);
    expect(image, Hazard.Kind.DIRECTORY_ALIAS);
  }

  @Test
  void direntTypeDifferentFromInodeTypeIsWrongContent() {
    byte[] image = staticImage();
    Images.putU32(image, dirent(image, 1, 2) + 4, Format.S_IFDIR | 0755);
    expect(image, Hazard.Kind.WRONG_CONTENT);
  }

  @Test
  void fileDataOverTheInodeTableOverlaps() {
    byte[] image = staticImage();
    Images.putU64(image, inode(8) + Structs.offset(Structs.INODE, "data_offset"), 4096);
    expect(image, Hazard.Kind.OVERLAPPING_EXTENTS);
  }

  @Test
  void sharedExtentOfTwoFilesIsNotAnOverlap() {
    KernelModel.Report r = KernelModel.examine(staticImage());
    assertTrue(r.clean(), r::toString);
  }

  @Test
  void branchTableAtOffsetZeroPutsMainOverTheSuperblock() {
    byte[] image = branching();
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "branch_table_offset"), 0);
    expect(image, Hazard.Kind.WRITE_OUTSIDE_DELTA);
  }

  @Test
  void allocOffsetBehindTheDeltaRegionCarvesMainsLogOverTheBase() {
    byte[] image = branching();
    long base = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "base_offset"));
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset"), base);
    expect(image, Hazard.Kind.WRITE_OUTSIDE_DELTA);
  }

  @Test
  void fullDeltaRegionRefusesTheMount() {
    byte[] image = branching();
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset"), image.length - 100);
    assertFalse(expect(image, Hazard.Kind.MOUNT_REFUSED).mounted());
  }

  @Test
  void lowNextInodeIdMakesChildInodesCollideWithBaseInodes() {
    byte[] image = branching();
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "next_inode_id"), 3);
    expect(image, Hazard.Kind.INODE_COLLISION);
  }

  @Test
  void truncatedImageIsRefusedByValidate() {
    byte[] image = Arrays.copyOf(staticImage(), 4096 + 4096 + 100);
    assertFalse(expect(image, Hazard.Kind.MOUNT_REFUSED).mounted());
  }

  @Test
  void withoutValidateATruncatedImageIsReadOutOfBounds() {
    byte[] image = Arrays.copyOf(staticImage(), 4096 + 4096 + 700);
    KernelMount m = KernelMount.mount(image, false);
    assertTrue(m.mounted(), () -> m.refusal);
    Traversal.walk(BranchView.mounted(m), "mount");
    assertTrue(m.hazards().stream().anyMatch(h -> h.kind() == Hazard.Kind.OUT_OF_BOUNDS), m.hazards()::toString);
  }

  /** A persisted main whose log creates inode 2, which the base already has: the kernel's numbering bug. */
  @Test
  void persistedCreateOverABaseInodeIsACollision() {
    byte[] image = branching();
    long table = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "branch_table_offset"));
    long delta = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "delta_region_offset"));
    byte[] log = new DeltaLogBuilder().create(1, 2, Format.S_IFREG | 0644, Node.name("new")).toByteArray();
    System.arraycopy(log, 0, image, (int) delta, log.length);
    Images.putU64(image, table + 16, delta);
    Images.putU64(image, table + 24, log.length);
    Images.putU64(image, table + 32, Format.KERNEL_LOG_CAPACITY);
    Images.putU32(image, table + 40, Format.BRANCH_ACTIVE);
    Images.putU64(image, table, 1);
    System.arraycopy("main".getBytes(), 0, image, (int) table + 56, 4);
    Images.putU64(image, Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset"), delta + Format.KERNEL_LOG_CAPACITY);
    expect(image, Hazard.Kind.INODE_COLLISION);
  }

  /** Whatever the bytes, the model answers: it records hazards, it never throws. */
  @Test
  void randomMutationsNeverThrow() {
    Random rnd = new Random(8);
    byte[][] seeds = {staticImage(), branching()};
    for (int i = 0; i < 400; i++) {
      byte[] image = seeds[i % 2].clone();
      for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
        int at = rnd.nextInt(i % 4 == 0 ? 4096 : image.length);
        image[at] = (byte) rnd.nextInt(256);
      }
      if (i % 7 == 0) {
        image = Arrays.copyOf(image, rnd.nextInt(image.length));
      }
      KernelModel.examine(image);
    }
  }
}
