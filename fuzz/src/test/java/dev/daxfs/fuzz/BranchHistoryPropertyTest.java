package dev.daxfs.fuzz;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded histories and trees: the same properties the fuzz targets check, on a fixed sample. */
class BranchHistoryPropertyTest {

  @Test
  void kernelShapedHistoriesAreAcceptedAndReplayToTheModel() {
    for (int seed = 0; seed < 60; seed++) {
      Random rnd = new Random(seed);
      Properties.historyReplays(BranchHistory.generate(Choices.of(rnd, 400), TreeGenerator.generate(Choices.of(rnd, 40)), 60));
    }
  }
}
