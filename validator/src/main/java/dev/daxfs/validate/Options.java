package dev.daxfs.validate;

/**
 * How to check. {@code expectedSize} is the size the image must have: the file's length, or the
 * device's size for memory sources. {@code kernelOnly} keeps only the rules the v3 kernel's own
 * validation enforces. At most {@code maxKept} problems are kept in the report (all are counted).
 */
public record Options(long expectedSize, boolean kernelOnly, int maxKept) {
  public Options {
    if (expectedSize < 0 || maxKept < 0) {
      throw new IllegalArgumentException("negative size or count");
    }
  }

  /** Every rule, up to 100 problems kept. */
  public static Options of(long expectedSize) {
    return new Options(expectedSize, false, 100);
  }
}
