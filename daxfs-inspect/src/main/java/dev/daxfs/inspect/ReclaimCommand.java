package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Reclaim;
import dev.daxfs.format.Superblock;
import dev.daxfs.nativemem.OutputFile;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Problem;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Rule;
import dev.daxfs.validate.Severity;
import dev.daxfs.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drops every branch record and log and rewinds delta_alloc_offset, giving back the slots and
 * the 64 KiB per mount the v3 kernel never returns. The new image is written beside the old one
 * (an OutputFile: unnamed until complete, with the old one's owner, group and mode) and renamed
 * over it, so an interrupted run leaves the old image whole and nothing else; the dropped delta region
 * becomes a hole of the file. Device memory has no such rename: with --force it is validated and
 * rewritten in place ({@link Reclaim#inPlace}).
 */
@Command(name = "reclaim", description = "Drop all branch records and logs and rewind delta_alloc_offset"
    + " (lists what it drops; needs --yes when a log is not empty).")
final class ReclaimCommand extends ImageCommand {
  /** Not here: reclaim drops what fsck reports in logs and refuses the rest itself. */
  @Override boolean reportsValidity() { return false; }

  /** The problems reclaim removes, which must not stop it: branch records, logs and their bookkeeping. */
  private static final Set<Rule> DROPPED = union(EnumSet.of(Rule.DELTA_ALLOC_OFFSET, Rule.NEXT_INODE_ID),
      EnumSet.range(Rule.BRANCH_STATE, Rule.ENTRY_TARGET));

  @Option(names = "--yes", description = "Drop logs that are not empty.")
  boolean yes;

  @Option(names = "--force", description = "Rewrite an image in device memory (--devdax, --phys) in place,"
      + " after validating it. No kernel may have it mounted meanwhile: this one or another.")
  boolean force;

  @Override boolean writesMemory() { return force; }

  @Override int run(Target t, PrintWriter out) throws IOException {
    if (!branches.isEmpty()) {
      throw new UsageException("reclaim drops every branch; it takes no -b");
    }
    if (t.memory == null && force) {
      throw new UsageException("--force is for --devdax and --phys; an image file is replaced whole without it");
    }
    if (t.memory == null && !Files.isRegularFile(t.path)) {
      throw new UsageException(t.path + ": not a regular file; reclaim rewrites image files, or memory with --force");
    }
    if (t.memory != null && !force) {
      throw new UsageException(t.path + ": device memory is rewritten in place, and another kernel may have it"
          + " mounted; unmount it everywhere and give --force");
    }
    Superblock sb = t.image.superblock();
    if (!sb.isBranching()) {
      throw new UsageException(t.path + ": a static image has no branches to reclaim");
    }
    if (t.memory != null) {
      requireValid(t.image.bytes());
    }
    Reclaim.requireSafe(t.image.bytes(), sb);
    List<Map<String, Object>> dropped = new ArrayList<>();
    long entries = 0;
    for (BranchRecord b : t.branches()) {
      if (b.state() == Format.BRANCH_FREE) {
        continue;
      }
      Map<String, Object> counts = InfoCommand.counts(t, b);
      long n = counts.values().stream().mapToLong(v -> (Long) v).sum();
      entries += n;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("slot", b.slot());
      m.put("name", Target.label(b));
      m.put("state", b.stateName());
      m.put("log_used", b.logSize());
      m.put("entries", counts);
      dropped.add(m);
    }
    boolean logsUsed = dropped.stream().anyMatch(m -> (Long) m.get("log_used") != 0);
    long freed = sb.deltaAllocOffset() - sb.deltaRegionOffset();
    boolean done = !logsUsed || yes;
    if (done && t.memory != null) {
      Reclaim.inPlace(t.image.bytes().segment(), sb, t.branches(), fresh(t, sb));
      t.memory.flush();
    } else if (done) {
      rewrite(t, sb);
    }
    if (json) {
      result.put("branches", dropped);
      result.put("entries", entries);
      result.put("bytes_freed", done ? freed : 0);
      result.put("reclaimed", done);
      return done ? OK : USAGE;
    }
    for (Map<String, Object> m : dropped) {
      out.printf("slot %-3s %-20s %-10s log %6d bytes, %s%n", m.get("slot"), m.get("name"), m.get("state"),
          (Long) m.get("log_used"), describe(m.get("entries")));
    }
    if (!done) {
      out.printf("%d entries in %d branch records would be dropped; nothing done (run again with --yes)%n",
          entries, dropped.size());
      return USAGE;
    }
    out.printf("%s: dropped %d branch records (%d entries), freed %d bytes of delta space%n", t.path,
        dropped.size(), entries, freed);
    return OK;
  }

  private static String describe(Object counts) {
    Map<?, ?> m = (Map<?, ?>) counts;
    if (m.isEmpty()) {
      return "no entries";
    }
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(" ", parts);
  }

  /**
   * Refuses memory whose image fails validation other than in what reclaim drops: whatever else
   * is there (another image, a damaged one) is not rewritten. The checks run superblock and base
   * first, so any such problem is among the first kept.
   */
  static void requireValid(ImageBytes bytes) {
    Report report = Validator.check(bytes, new Options(bytes.size(), false, 1000));
    for (Problem q : report.problems()) {
      if (q.severity() == Severity.ERROR && !DROPPED.contains(q.rule())) {
        throw new FormatException(q.structure(), q.offset(), "not rewritten, it does not validate: rule "
            + q.rule().number() + " (" + q.rule().title() + "): expected " + q.expected() + ", found " + q.found());
      }
    }
  }

  private static Set<Rule> union(Set<Rule> a, Set<Rule> b) {
    Set<Rule> all = EnumSet.copyOf(a);
    all.addAll(b);
    return all;
  }

  /**
   * Writes the image without branches to a new file beside it (through a symlink: beside the
   * file it names) with its owner, group and mode, and renames it into place. The bytes come from
   * the mapping the command read, not from the path again.
   */
  private static void rewrite(Target t, Superblock sb) throws IOException {
    try (OutputFile file = OutputFile.rewrite(t.path)) {
      Reclaim.copyWithoutBranches(t.image.bytes().segment(), t.data, file.channel(), sb, fresh(t, sb));
      file.commit();
    }
  }

  /** The superblock of a never-mounted image: no branches, nothing allocated, inodes after the base's. */
  private static Superblock fresh(Target t, Superblock sb) {
    long nextInode = sb.nextInodeId();
    try {
      nextInode = t.image.base().inodeCount() + 1;
    } catch (FormatException e) {
      t.problems.add(e);
    }
    return sb.unmounted(nextInode);
  }
}
