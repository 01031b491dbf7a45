package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Seeded histories: the kernel model's replay of every ACTIVE branch equals the in-memory model. */
class BranchHistoryPropertyTest {

  static Map<String, Map<String, String>> modelViews(KernelModel.Report r) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    r.views().forEach((label, s) -> {
      if (!label.equals("mount")) {
        out.put(label, FsModel.describe(s));
      }
    });
    return out;
  }

  @Test
  void replayedViewsEqualTheInMemoryModel() {
    for (int seed = 0; seed < 60; seed++) {
      Random rnd = new Random(seed);
      BranchHistory h = BranchHistory.generate(Choices.of(rnd, 400), TreeGenerator.generate(Choices.of(rnd, 40)));
      KernelModel.Report r = KernelModel.examine(h.image);
      int s = seed;
      assertTrue(r.clean(), () -> "seed " + s + " " + h.steps + "\n" + r);
      assertEquals(new TreeMap<>(h.expectedViews()), modelViews(r), "seed " + seed + " " + h.steps);
    }
  }
}
