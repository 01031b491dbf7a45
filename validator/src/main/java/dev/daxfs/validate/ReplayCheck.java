package dev.daxfs.validate;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchTable;
import dev.daxfs.format.Format;
import dev.daxfs.format.Image;
import dev.daxfs.format.Replay;
import dev.daxfs.format.ReplayProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rules 49-53: each ACTIVE branch's view replayed by the codec's {@link Replay}, the same reading
 * daxfs-inspect shows. Only leaves are replayed (an ACTIVE branch that is no ACTIVE branch's
 * parent): a parent's entries are replayed as part of its children's chains, each log once however
 * many leaves share it ({@link Replay#views}), and a problem is reported once. Problems the other checks own (decoding, names, sizes, the
 * branch table, the base) are left to them.
 */
final class ReplayCheck {
  private ReplayCheck() {}

  static void check(Image image, BranchCheck.Result branches, Problems p) {
    List<BranchRecord> records = branches.records();
    boolean[] isParent = new boolean[records.size()];
    for (BranchRecord r : records) {
      int parent = branches.parentSlot()[r.slot()];
      if (r.state() == Format.BRANCH_ACTIVE && parent >= 0) {
        isParent[parent] = true;
      }
    }
    List<List<BranchRecord>> chains = new ArrayList<>();
    BranchTable table = null;
    for (BranchRecord r : records) {
      if (r.state() == Format.BRANCH_ACTIVE && !isParent[r.slot()] && chainUsable(branches, r.slot())) {
        table = table == null ? image.branchTable() : table;
        // A parent missing from the table is rule 38's (BranchCheck); the chain then starts at r.
        chains.add(Replay.chain(table, r, q -> { }));
      }
    }
    Set<String> seen = new HashSet<>();
    Replay.views(image, chains, q -> {
      Rule rule = rule(q);
      if (rule != null && seen.add(q.at() + "/" + q.kind())) {
        p.add(rule, Format.deltaTypeName(q.type()) + " entry in slot " + q.slot() + "'s log",
            q.at(), q.ino(), expected(rule), q.message());
      }
    }, (chain, view) -> { });
  }

  /** Replays only chains whose every log lies where the branch table says (rules 36, 37). */
  private static boolean chainUsable(BranchCheck.Result branches, int slot) {
    for (int s = slot; s >= 0; s = branches.parentSlot()[s]) {
      if (!branches.logUsable()[s]) {
        return false;
      }
    }
    return true;
  }

  /** The rule a problem breaks, as its kind says; null for those the other checks report. */
  private static Rule rule(ReplayProblem q) {
    return q.kind().replayRule() ? Rule.numbered(q.kind().rule(q.type())) : null;
  }

  private static String expected(Rule rule) {
    return switch (rule) {
      case ENTRY_PARENT -> "a parent directory that exists in the branch's view";
      case ENTRY_NEW_INODE -> "a new inode number not 0, not a base inode's, not handed out before";
      case ENTRY_NAME_EXISTS -> "a name not yet in the parent directory";
      case ENTRY_SOURCE -> "a source name that exists in its parent and names the entry's inode";
      case ENTRY_TARGET -> "a target inode that exists in the branch's view (a regular file for writes)";
      default -> rule.title();
    };
  }
}
