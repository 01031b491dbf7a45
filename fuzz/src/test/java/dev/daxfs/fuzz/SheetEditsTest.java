package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The mutator's sheet edits reach every rule they aim at (54-61) from the fuzz seeds, and each
 * edited image still goes through the fuzz property (a verdict; if accepted, a clean mount in the
 * kernel model; inspect never crashes).
 */
class SheetEditsTest {
  @Test void reachRules54To61() {
    Set<Integer> reached = new TreeSet<>();
    Random rnd = new Random(54);
    for (int i = 0; i < 400; i++) {
      byte[] b = ImageBytesFuzzTest.SEEDS.get(i % ImageBytesFuzzTest.SEEDS.size()).clone();
      SheetEdits.apply(b, Choices.of(rnd, 10));
      Oracles.fsck(b).problems().forEach(p -> reached.add(p.rule().number()));
      Properties.verdictGuardsTheMount(b, null);
    }
    Set<Integer> aimed = IntStream.rangeClosed(54, 61).boxed().collect(Collectors.toCollection(TreeSet::new));
    reached.retainAll(aimed);
    assertEquals(aimed, reached);
  }
}
