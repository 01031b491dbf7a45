package dev.daxfs.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Collects problems as the checks find them: counts all, keeps the first {@code maxKept}. Paths
 * are resolved only for kept problems, at the end (once the tree is known), since a hostile image
 * can produce millions of problems.
 */
final class Problems {
  private final Options options;
  private final List<Problem> kept = new ArrayList<>();
  private long errors;
  private long warnings;
  private LongFunction<String> paths = ino -> null;

  Problems(Options options) {
    this.options = options;
  }

  /** Names inodes by path once the tree is known. */
  void pathsFrom(LongFunction<String> paths) {
    this.paths = paths;
  }

  void add(Rule rule, String structure, long offset, long inode, String expected, String found) {
    if (options.kernelOnly() && !rule.kernel()) {
      return;
    }
    if (rule.severity() == Severity.ERROR) {
      errors++;
    } else {
      warnings++;
    }
    if (kept.size() < options.maxKept()) {
      kept.add(new Problem(rule, structure, offset, inode, null, expected, found));
    }
  }

  void add(Rule rule, String structure, long offset, String expected, String found) {
    add(rule, structure, offset, 0, expected, found);
  }

  /** Errors so far (whatever the mode counts). */
  long errors() { return errors; }

  /** The report, with paths for the kept problems as the tree walk found them. */
  Report report() {
    List<Problem> out = new ArrayList<>(kept.size());
    for (Problem q : kept) {
      out.add(q.inode() == 0 ? q : new Problem(q.rule(), q.structure(), q.offset(), q.inode(),
          paths.apply(q.inode()), q.expected(), q.found()));
    }
    return new Report(out, errors, warnings);
  }
}
