package dev.daxfs.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Target 3: generated mounts and branch operations, encoded as delta logs laid out as the kernel
 * lays them, are accepted and every ACTIVE branch replays to the in-memory model; the same image
 * mutated must then satisfy target 1's property.
 */
class BranchLogFuzzTest {
  @FuzzTest
  void branchHistories(FuzzedDataProvider data) {
    Choices c = Choices.of(data);
    BranchHistory h = BranchHistory.generate(c, TreeGenerator.generate(c, 1 + c.pick(12)), 1 + c.pick(40));
    Properties.historyReplays(h);
    Properties.verdictGuardsTheMount(ImageEdits.apply(h.image, c), null);
  }
}
