package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each hazard the model knows, provoked by one edit of a good image (see {@link HostileImages}). */
class KernelModelHazardTest {
  static final List<HostileImages.Case> CASES = HostileImages.CASES;

  @ParameterizedTest
  @FieldSource("CASES")
  void theModelFindsTheHazard(HostileImages.Case c) {
    KernelModel.Report r = KernelModel.examine(c.image().get());
    assertTrue(r.hazards().stream().anyMatch(h -> h.kind() == c.kind()), () -> "expected " + c.kind() + " in " + r);
  }

  @Test
  void sharedExtentOfTwoFilesIsNotAnOverlap() {
    KernelModel.Report r = KernelModel.examine(HostileImages.staticImage());
    assertTrue(r.clean(), r::toString);
  }

  @Test
  void withoutValidateATruncatedImageIsReadOutOfBounds() {
    byte[] image = Arrays.copyOf(HostileImages.staticImage(), 4096 + 4096 + 700);
    KernelMount m = KernelMount.mount(image, false);
    assertTrue(m.mounted(), () -> m.refusal);
    Traversal.walk(BranchView.mounted(m), "mount");
    assertTrue(m.hazards().stream().anyMatch(h -> h.kind() == Hazard.Kind.OUT_OF_BOUNDS), m.hazards()::toString);
  }

  /** Whatever the bytes, the model answers: it records hazards, it never throws. */
  @Test
  void randomMutationsNeverThrow() {
    Random rnd = new Random(8);
    byte[][] seeds = {HostileImages.staticImage(), HostileImages.branching()};
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
