package dev.daxfs.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageSpec;

/** Target 2: generated trees through the codec are accepted, round-trip, and the kernel shows them. */
class TreeFuzzTest {
  @FuzzTest
  void generatedTrees(FuzzedDataProvider data) {
    Choices c = Choices.of(data);
    ImageSpec spec = c.chance(50) ? ImageSpec.staticImage() : ImageSpec.branching(2L * Format.KERNEL_LOG_CAPACITY);
    Properties.treeRoundTrips(TreeGenerator.generate(c), spec);
  }
}
