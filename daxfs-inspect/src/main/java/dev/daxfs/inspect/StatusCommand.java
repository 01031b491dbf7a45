package dev.daxfs.inspect;

import dev.daxfs.cli.Sizes;
import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Superblock;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Severity;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Superblock, base image, branch table, delta region usage, next inode and"
    + " the daxfs-fsck verdict; with -b, that branch's record too.")
final class StatusCommand extends ImageCommand {
  /** Not here: shows fsck's counts and first problem itself. */
  @Override boolean reportsValidity() { return false; }


  @Override int run(Target t, PrintWriter out) {
    Superblock sb = t.image.superblock();
    BranchRecord selected = branches.isEmpty() ? null : t.branch(branch());
    long baseInodes = -1;
    try {
      BaseImage base = t.image.base();
      baseInodes = base.inodeCount();
    } catch (FormatException e) {
      t.problems.add(e);
    }
    boolean branching = sb.isBranching();
    long allocated = sb.deltaAllocOffset() - sb.deltaRegionOffset();
    long free = sb.deltaRegionOffset() + sb.deltaRegionSize() - sb.deltaAllocOffset();
    long used = t.branches().stream().filter(b -> b.state() != Format.BRANCH_FREE).count();
    Report fsck = t.validity();
    if (json) {
      result.put("magic", String.format("0x%x", sb.magic()));
      result.put("version", Integer.toUnsignedLong(sb.version()));
      result.put("block_size", Integer.toUnsignedLong(sb.blockSize()));
      result.put("total_size", sb.totalSize());
      result.put("base", Map.of("offset", sb.baseOffset(), "size", sb.baseSize(), "inodes", baseInodes));
      result.put("branching", branching);
      if (branching) {
        Map<String, Object> bt = new LinkedHashMap<>();
        bt.put("offset", sb.branchTableOffset());
        bt.put("entries", Integer.toUnsignedLong(sb.branchTableEntries()));
        bt.put("active", Integer.toUnsignedLong(sb.activeBranches()));
        bt.put("used_slots", used);
        bt.put("next_branch_id", sb.nextBranchId());
        result.put("branch_table", bt);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("offset", sb.deltaRegionOffset());
        d.put("size", sb.deltaRegionSize());
        d.put("allocated", allocated);
        d.put("free", free);
        result.put("delta_region", d);
      }
      result.put("next_inode_id", sb.nextInodeId());
      result.put("fsck", Map.of("errors", fsck.errors(), "warnings", fsck.warnings()));
      if (selected != null) {
        result.put("branch", InfoCommand.summary(selected));
      }
      return fsck.errors() == 0 ? OK : PROBLEMS;
    }
    out.println("DAXFS Image Status");
    out.println("==================");
    out.println();
    out.println("Format:");
    out.printf("  Magic:           0x%x%n", sb.magic());
    out.printf("  Version:         %s%n", Integer.toUnsignedString(sb.version()));
    out.printf("  Block size:      %s%n", Integer.toUnsignedString(sb.blockSize()));
    out.printf("  Total size:      %s%n", bytes(sb.totalSize()));
    out.println();
    out.println("Base image:");
    out.printf("  Offset:          0x%x%n", sb.baseOffset());
    out.printf("  Size:            %s%n", bytes(sb.baseSize()));
    out.printf("  Inodes:          %s%n", baseInodes < 0 ? "(unreadable)" : baseInodes);
    out.println();
    if (!branching) {
      out.println("Branch table:      none (static image)");
    } else {
      out.println("Branch table:");
      out.printf("  Entries:         %s (max)%n", Integer.toUnsignedString(sb.branchTableEntries()));
      out.printf("  Active:          %s%n", Integer.toUnsignedString(sb.activeBranches()));
      out.printf("  Used slots:      %d%n", used);
      out.printf("  Next branch ID:  %s%n", Long.toUnsignedString(sb.nextBranchId()));
      out.println();
      out.println("Delta region:");
      out.printf("  Offset:          0x%x%n", sb.deltaRegionOffset());
      out.printf("  Total size:      %s%n", bytes(sb.deltaRegionSize()));
      out.printf("  Allocated:       %s%n", bytes(allocated));
      out.printf("  Free:            %s%n", bytes(free));
    }
    out.println();
    out.println("Inodes:");
    out.printf("  Next inode ID:   %s%n", Long.toUnsignedString(sb.nextInodeId()));
    out.println();
    out.println("Validity (daxfs-fsck):");
    out.printf("  Errors:          %d%n", fsck.errors());
    out.printf("  Warnings:        %d%n", fsck.warnings());
    // The first error says most; a warning only when there is no error.
    fsck.problems().stream().filter(p -> p.severity() == Severity.ERROR).findFirst()
        .or(() -> fsck.problems().stream().findFirst())
        .ifPresent(p -> out.printf("  First:           %s%n", p));
    if (selected != null) {
      out.println();
      InfoCommand.printRecord(t, selected, out);
    }
    return fsck.errors() == 0 ? OK : PROBLEMS;
  }

  /** "1150976 bytes (1.1 MiB)": the exact count and the unit mkdaxfs prints. */
  static String bytes(long n) {
    return Long.toUnsignedString(n) + " bytes (" + Sizes.human(n) + ")";
  }
}
