package dev.daxfs.validate;

import java.util.List;

/** What a check found: the first problems (at most Options.maxKept) and the counts of all of them. */
public record Report(List<Problem> problems, long errors, long warnings) {
  public Report {
    problems = List.copyOf(problems);
  }

  /** True when nothing is wrong: no error, and no warning either when {@code strict}. */
  public boolean valid(boolean strict) {
    return errors == 0 && (!strict || warnings == 0);
  }

  public long total() { return errors + warnings; }
}
