package dev.daxfs.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Random;

/**
 * Where a generator's decisions come from: the fuzzer's input (coverage-guided) or a seeded
 * Random (the plain property tests). Generators stop when {@link #exhausted()}.
 */
interface Choices {
  /** A number in [0, bound). */
  int pick(int bound);

  /** Up to {@code max} bytes. */
  byte[] bytes(int max);

  boolean exhausted();

  default boolean chance(int percent) { return pick(100) < percent; }

  static Choices of(FuzzedDataProvider data) {
    return new Choices() {
      @Override public int pick(int bound) { return bound <= 1 ? 0 : data.consumeInt(0, bound - 1); }

      @Override public byte[] bytes(int max) { return data.consumeBytes(data.consumeInt(0, max)); }

      @Override public boolean exhausted() { return data.remainingBytes() == 0; }
    };
  }

  /** {@code steps} decisions' worth of a seeded Random, then exhausted. */
  static Choices of(Random rnd, int steps) {
    return new Choices() {
      private int left = steps;

      @Override public int pick(int bound) {
        left--;
        return bound <= 1 ? 0 : rnd.nextInt(bound);
      }

      @Override public byte[] bytes(int max) {
        left--;
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
      }

      @Override public boolean exhausted() { return left <= 0; }
    };
  }
}
