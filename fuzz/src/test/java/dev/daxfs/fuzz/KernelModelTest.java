package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Structs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model on good images: codec output mounts cleanly and shows exactly the tree. */
class KernelModelTest {

  @Test
  void staticImageMountsCleanAndShowsTheTree() {
    byte[] image = Images.write(Images.sampleTree(), ImageSpec.staticImage());
    KernelModel.Report r = KernelModel.examine(image);
    assertTrue(r.clean(), r::toString);
    assertEquals(List.of("mount"), List.copyOf(r.views().keySet()));
    assertEquals(TreeSnapshot.of(Images.sampleTree()), TreeSnapshot.of(r.views().get("mount")));
    assertTrue(r.kernelDefects().isEmpty(), "a static mount uses the base symlink path, which works");
  }

  @Test
  void branchingMountStartsMainInTheFirstFreeSlotWithA64KiBLog() {
    byte[] image = Images.write(Images.sampleTree(), ImageSpec.branching(1 << 20));
    long deltaStart = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "delta_region_offset"));
    KernelModel.Report r = KernelModel.examine(image);
    assertTrue(r.clean(), r::toString);
    assertEquals(TreeSnapshot.of(Images.sampleTree()), TreeSnapshot.of(r.views().get("mount")));

    byte[] after = r.afterMount();
    long table = Images.u64(image, Structs.offset(Structs.SUPERBLOCK, "branch_table_offset"));
    assertEquals(deltaStart + Format.KERNEL_LOG_CAPACITY,
        Images.u64(after, Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset")));
    assertEquals(2, Images.u64(after, Structs.offset(Structs.SUPERBLOCK, "next_branch_id")));
    assertEquals(1, Images.u32(after, Structs.offset(Structs.SUPERBLOCK, "active_branches")));
    assertEquals(1, Images.u64(after, table + Structs.offset(Structs.BRANCH_RECORD, "branch_id")));
    assertEquals(deltaStart, Images.u64(after, table + Structs.offset(Structs.BRANCH_RECORD, "delta_log_offset")));
    assertEquals(Format.KERNEL_LOG_CAPACITY,
        Images.u64(after, table + Structs.offset(Structs.BRANCH_RECORD, "delta_log_capacity")));
    assertEquals(Format.BRANCH_ACTIVE, Images.u32(after, table + Structs.offset(Structs.BRANCH_RECORD, "state")));
    assertEquals(2, Images.u64(after, table + Structs.offset(Structs.BRANCH_RECORD, "next_local_ino")));
    assertEquals("main", new String(after, (int) (table + 56), 4));
    assertFalse(r.kernelDefects().isEmpty(), "main's inode numbering and the base symlink oops are listed");
  }

  @Test
  void theModelNeverChangesTheCallersBytes() {
    byte[] image = Images.write(Images.sampleTree(), ImageSpec.branching(1 << 20));
    byte[] copy = image.clone();
    KernelModel.examine(image);
    assertTrue(java.util.Arrays.equals(copy, image));
  }

  @Test
  void everyRealKernelImageMountsWithoutHazard() {
    for (String name : List.of("base-input", "child-active", "child-commit", "remount-after-umount")) {
      byte[] image = Images.kernelImage(name);
      org.junit.jupiter.api.Assumptions.assumeTrue(image != null, () -> {
        System.out.println("SKIPPED: the shared kernel-images folder is not beside the repository");
        return "no kernel images";
      });
      KernelModel.Report r = KernelModel.examine(image);
      assertTrue(r.clean(), () -> name + ": " + r);
      assertNotNull(r.views().get("mount"), name);
    }
  }
}
