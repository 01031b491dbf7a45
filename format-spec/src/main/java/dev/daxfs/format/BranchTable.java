package dev.daxfs.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The branch records of a branching image, in slot order. */
public record BranchTable(long at, List<BranchRecord> records) {
  /** How a nameless (committed or aborted) branch is named: by its slot. */
  public static final String SLOT_PREFIX = "slot:";

  /**
   * Reads min(entries, 256) records at {@code at}; more than 256 is never read (fsck reports it),
   * so a hostile entry count cannot drive the loop.
   */
  public static BranchTable read(ImageBytes b, long at, long entries) {
    long n = Long.compareUnsigned(entries, Format.MAX_BRANCHES) > 0 ? Format.MAX_BRANCHES : entries;
    b.require(at, n * Format.BRANCH_RECORD_SIZE, "branch table");
    List<BranchRecord> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      out.add(BranchRecord.read(b, at + (long) i * Format.BRANCH_RECORD_SIZE, i));
    }
    return new BranchTable(at, List.copyOf(out));
  }

  /** Records that are not FREE. */
  public List<BranchRecord> used() {
    return records.stream().filter(r -> r.state() != Format.BRANCH_FREE).toList();
  }

  /**
   * The branch a user means by {@code name}: the ACTIVE record with that name in the highest slot
   * (the kernel starts a new main in the first free slot on every mount, so the highest slot is the
   * newest), else any non-free record with that name.
   */
  public Optional<BranchRecord> byName(String name) {
    byte[] wanted = Names.fromText(name);
    BranchRecord best = null;
    for (BranchRecord r : records) {
      if (r.state() == Format.BRANCH_FREE || !java.util.Arrays.equals(r.nameBytes(), wanted)) {
        continue;
      }
      if (best == null || r.state() == Format.BRANCH_ACTIVE || best.state() != Format.BRANCH_ACTIVE) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The branch {@code spec} means: a name (as {@link #byName}) or "slot:N"; null for the base.
   * Without a spec: main, or the base when there is none (a static or never-mounted image).
   * IllegalArgumentException, with a message for the user, when nothing matches.
   */
  public BranchRecord select(String spec) {
    if (spec == null) {
      return byName("main").orElse(null);
    }
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("empty branch name (committed and aborted branches are named slot:N)");
    }
    if (spec.startsWith(SLOT_PREFIX)) {
      int slot;
      try {
        slot = Integer.parseInt(spec.substring(SLOT_PREFIX.length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad branch slot '" + spec + "'");
      }
      if (slot < 0 || slot >= records.size() || records.get(slot).state() == Format.BRANCH_FREE) {
        throw new IllegalArgumentException("no branch in slot " + spec.substring(SLOT_PREFIX.length()));
      }
      return records.get(slot);
    }
    return byName(spec).orElseThrow(() -> new IllegalArgumentException("branch '" + spec + "' not found"
        + (records.isEmpty() ? " (the image has no branch table)" : "")));
  }
}
