package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random byte damage to valid images never makes the validator throw, and it never accepts
 * damage to a byte that every rule pins (the superblock magic). The damage goes where the
 * metadata is: superblocks, the inode table, dirents, branch records and logs.
 */
class MutationTest {
  private static final int ROUNDS = 1000;

  @Test void fixtureWithLogsSurvivesDamage() {
    byte[] log = new DeltaLogBuilder().mkdir(Fixture.ROOT, Fixture.COUNT + 1, Format.S_IFDIR | 0755, Node.name("d"))
        .create(Fixture.COUNT + 1, Fixture.COUNT + 2, Format.S_IFREG | 0644, Node.name("f"))
        .write(Fixture.COUNT + 2, 3, Node.name("data")).rename(Fixture.ROOT, Fixture.COUNT + 1, Fixture.FILE,
            Node.name("a.txt"), Node.name("b")).symlink(Fixture.ROOT, Fixture.COUNT + 3, Node.name("s"), Node.name("t"))
        .delete(Fixture.SUB, Fixture.LEAF, Node.name("leaf")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", Fixture.COUNT + 4)
        .branch(0, 1, 0, Format.BRANCH_ACTIVE, "main", Fixture.COUNT + 4, log);
    assertTrue(f.check().valid(true), () -> f.check().problems().toString());
    damage(f.bytes(), f.deltaRegion() + log.length, 1);
  }

  @Test void kernelImagesSurviveDamage() throws IOException {
    for (String name : new String[] {"child-active", "child-commit", "remount-after-umount"}) {
      byte[] image = KernelImages.image(name);
      // Metadata sits below the end of the logs in these images (superblock, table, base, logs).
      damage(image, 102400 + 3 * Format.KERNEL_LOG_CAPACITY, name.length());
    }
  }

  private static void damage(byte[] original, long metadataEnd, long seed) {
    Random rnd = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] b = original.clone();
      int edits = 1 + rnd.nextInt(8);
      for (int i = 0; i < edits; i++) {
        int at = rnd.nextInt((int) Math.min(metadataEnd, b.length));
        b[at] = (byte) (rnd.nextInt(4) == 0 ? 0xff : rnd.nextInt(256));
      }
      Report r = Validator.check(ImageBytes.of(b), Options.of(b.length));
      if (b[0] != original[0]) {
        assertTrue(r.errors() > 0, "damaged magic accepted in round " + round);
      }
    }
  }
}
