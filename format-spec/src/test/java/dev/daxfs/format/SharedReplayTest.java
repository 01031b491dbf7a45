package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Replay#views} applies each log once and undoes a branch's changes when it moves to a
 * sibling; every view it gives must equal the chain replayed on its own from the base.
 */
class SharedReplayTest {

  @Test
  void sharedReplayGivesTheViewsOfIndependentReplays() throws Exception {
    int siblingSwitches = 0;
    for (long seed = 0; seed < 150; seed++) {
      ReplayModelTest.Driver d = new ReplayModelTest.Driver(seed);
      for (int i = 0; i < 120; i++) {
        d.step();
      }
      Image img = Image.open(ImageBytes.of(d.image.bytes()));
      // Every record's chain, aborted and committed ones too: siblings under one parent make the
      // walk undo one child before applying the next (a committed child's log is then applied twice,
      // which gives problems: they must be the same ones too).
      List<List<BranchRecord>> chains = new ArrayList<>();
      for (BranchRecord r : img.branchTable().records()) {
        if (r.state() != Format.BRANCH_FREE) {
          chains.add(Replay.chain(img.branchTable(), r, q -> { }));
        }
      }
      Map<Integer, List<String>> alone = new HashMap<>();
      Set<ReplayProblem> aloneProblems = new LinkedHashSet<>();
      for (List<BranchRecord> chain : chains) {
        alone.put(chain.getLast().slot(), Listing.of(Replay.logs(img, chain, aloneProblems::add)));
      }
      Map<Integer, List<String>> shared = new HashMap<>();
      Set<ReplayProblem> sharedProblems = new LinkedHashSet<>();
      Replay.views(img, chains, sharedProblems::add, (chain, view) -> shared.put(chain.getLast().slot(), Listing.of(view)));
      assertEquals(alone, shared, "seed " + seed);
      assertEquals(aloneProblems, sharedProblems, "seed " + seed);
      for (int i = 1; i < chains.size(); i++) {
        List<BranchRecord> a = chains.get(i - 1);
        List<BranchRecord> b = chains.get(i);
        if (a.size() > 1 && b.size() > 1 && a.getFirst().slot() == b.getFirst().slot() && !b.contains(a.getLast())) {
          siblingSwitches++;
        }
      }
    }
    // The histories must really make the walk go back up a branch, or this test shows nothing.
    assertTrue(siblingSwitches > 50, "only " + siblingSwitches + " switches between siblings");
  }
}
