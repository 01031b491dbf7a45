package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rule 22's sweep order: by start, then length, equal extents in the order they were added. */
class ExtentsTest {
  @Test
  void sortsByStartThenLengthKeepingTiesInOrder() {
    Random rnd = new Random(22);
    for (int round = 0; round < 300; round++) {
      int n = rnd.nextInt(70);
      Extents e = new Extents(n);
      long[] start = new long[n];
      long[] length = new long[n];
      for (int i = 0; i < n; i++) {
        // Few distinct values: many equal starts, equal lengths and equal pairs.
        start[i] = rnd.nextInt(6) * 4096L;
        length[i] = 1 + rnd.nextInt(4);
        e.add(start[i], length[i], i + 1, rnd.nextBoolean());
      }
      Integer[] expected = new Integer[n];
      Arrays.setAll(expected, i -> i);
      Arrays.sort(expected, Comparator.<Integer>comparingLong(i -> start[i]).thenComparingLong(i -> length[i]));
      assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), e.byStartAndLength(),
          "round " + round + ", " + n + " extents");
    }
  }
}
