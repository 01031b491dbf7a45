package dev.daxfs.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.validate.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;

/**
 * Target 1: mutations of valid images (static, branching, a generated history with logs, the real
 * kernel's dumps) must get a verdict from daxfs-fsck; an accepted one must mount and walk without
 * hazard in the kernel model; daxfs-inspect must never crash on any of them.
 */
class ImageBytesFuzzTest {
  static final List<byte[]> SEEDS = seeds();
  private static final Path SCRATCH = scratch();

  private static List<byte[]> seeds() {
    List<byte[]> out = new ArrayList<>();
    out.add(Images.write(Images.sampleTree(), ImageSpec.staticImage()));
    out.add(Images.write(Images.sampleTree(), ImageSpec.branching(2L * 65536)));
    Random rnd = new Random(3);
    out.add(BranchHistory.generate(Choices.of(rnd, 400), TreeGenerator.generate(Choices.of(rnd, 40), 12), 40).image);
    byte[] kernel = Images.kernelImage("child-active");
    if (kernel != null) {
      out.add(kernel);
    }
    return List.copyOf(out);
  }

  private static Path scratch() {
    try {
      Path p = Files.createTempFile("fuzz-image", ".daxfs");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line for the evidence: which of fsck's rules the inputs of this run made it report. */
  @AfterAll
  static void rulesReached() {
    System.out.println("fsck rules reported: " + Properties.RULES_REPORTED.size() + " of " + Rule.values().length
        + " " + Properties.RULES_REPORTED);
  }

  @FuzzTest
  void mutatedImages(FuzzedDataProvider data) {
    Choices c = Choices.of(data);
    byte[] seed = SEEDS.get(c.pick(SEEDS.size()));
    Properties.verdictGuardsTheMount(ImageEdits.apply(seed, c), c.chance(2) ? SCRATCH : null);
  }
}
