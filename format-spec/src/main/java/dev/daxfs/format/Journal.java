package dev.daxfs.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The undo steps of the changes a replay made to a {@link BranchView}, so that branches sharing
 * ancestors are replayed from one copy of the ancestors' state: each log is applied once, and undone
 * when the walk leaves its branch. Replaying every leaf from the base instead costs leaves × chain,
 * which for 255 children of one large hostile log is hours.
 */
final class Journal {
  /** Records nothing: for changes nobody undoes (a base inode being read, a single chain). */
  static final Journal NONE = new Journal();

  private final List<Runnable> undo = new ArrayList<>();
  private boolean recording;

  void record(Runnable step) {
    if (recording) {
      undo.add(step);
    }
  }

  /**
   * Turns recording on or off. Off for a chain's root log: another root starts from a fresh view,
   * so that log is never undone, and its steps would only double the memory a huge log takes.
   */
  void recording(boolean on) {
    recording = on && this != NONE;
  }

  /** A point to roll back to. */
  int mark() {
    return undo.size();
  }

  /** Undoes every change made since {@code mark}, newest first. */
  void rollback(int mark) {
    for (int i = undo.size() - 1; i >= mark; i--) {
      undo.remove(i).run();
    }
  }
}
