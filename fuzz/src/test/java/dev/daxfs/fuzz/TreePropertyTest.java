package dev.daxfs.fuzz;

import dev.daxfs.format.ImageSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded generated trees and seeded mutations: targets 1 and 2's properties on a fixed sample. */
class TreePropertyTest {

  @Test
  void generatedTreesRoundTrip() {
    for (int seed = 0; seed < 150; seed++) {
      Random rnd = new Random(seed);
      Properties.treeRoundTrips(TreeGenerator.generate(Choices.of(rnd, 300)),
          seed % 2 == 0 ? ImageSpec.staticImage() : ImageSpec.branching(1 << 17));
    }
  }

  @Test
  void mutatedImagesGetAVerdictThatGuardsTheMount() {
    Random rnd = new Random(1);
    for (int i = 0; i < 300; i++) {
      byte[] seed = ImageBytesFuzzTest.SEEDS.get(i % ImageBytesFuzzTest.SEEDS.size());
      Properties.verdictGuardsTheMount(ImageEdits.apply(seed, Choices.of(rnd, 40)), null);
    }
  }
}
