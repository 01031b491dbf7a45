package dev.daxfs.fuzz;

import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.CREATE;
import static dev.daxfs.format.Structs.DELTA_HEADER;
import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.SETATTR;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.SYMLINK;
import static dev.daxfs.format.Structs.TRUNCATE;
import static dev.daxfs.format.Structs.WRITE;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaEntry;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Edits that find one structure with the codec and move one of its fields to the edge a rule
 * draws: an inode's data_offset or size nudged off its block, a branch name without its NUL, the
 * size field of a WRITE, TRUNCATE or SETATTR entry at the largest or a negative value, a CREATE,
 * MKDIR or SYMLINK entry repeated at the end of its log under a new inode number. Byte edits alone hardly ever land there. Structures the codec cannot read (an earlier
 * edit broke them) are left alone.
 */
final class StructureEdits {
  private StructureEdits() {}

  private static final long HDR = DELTA_HEADER.byteSize();
  private static final long[] NUDGES = {1, -1, 8, 64, 4096, -4096};
  private static final long[] EDGES = {-1, Long.MIN_VALUE, Long.MAX_VALUE};
  private static final Predicate<DeltaEntry> SIZED = e -> e instanceof DeltaEntry.Write
      || e instanceof DeltaEntry.Truncate || e instanceof DeltaEntry.SetAttr;
  private static final Predicate<DeltaEntry> NAMING = e -> e instanceof DeltaEntry.Create
      || e instanceof DeltaEntry.Mkdir || e instanceof DeltaEntry.Symlink;
  /** Enough entries to choose from; the kernel's 64 KiB logs hold at most 2730. */
  private static final int MAX_ENTRIES = 4096;

  static void apply(byte[] b, Choices c) {
    try {
      Image image = Image.open(ImageBytes.of(b));
      switch (c.pick(4)) {
        case 0 -> nudgeInode(b, image.base(), c);
        case 1 -> unterminateBranchName(b, image, c);
        case 2 -> entrySizeAtTheEdge(b, image, c);
        default -> repeatNamingEntry(b, image, c);
      }
    } catch (FormatException e) {
      // Not readable after the byte edits: nothing to aim at.
    }
  }

  private static void nudgeInode(byte[] b, BaseImage base, Choices c) {
    long count = base.inodeCount();
    if (count == 0) {
      return;
    }
    long ino = 1 + c.pick((int) Math.min(count, Integer.MAX_VALUE));
    long at = base.inodeAt(ino) + offset(INODE, c.chance(75) ? "data_offset" : "size");
    Images.putU64(b, at, Images.u64(b, at) + NUDGES[c.pick(NUDGES.length)]);
  }

  private static void unterminateBranchName(byte[] b, Image image, Choices c) {
    BranchRecord r = usedRecord(image, c);
    if (r == null) {
      return;
    }
    int name = Math.toIntExact(r.at() + offset(BRANCH_RECORD, "name"));
    Arrays.fill(b, name + c.pick(Format.BRANCH_NAME_FIELD), name + Format.BRANCH_NAME_FIELD, (byte) 'x');
  }

  private static void entrySizeAtTheEdge(byte[] b, Image image, Choices c) {
    BranchRecord r = usedRecord(image, c);
    DeltaEntry e = r == null ? null : entry(image, r, c, SIZED);
    if (e == null) {
      return;
    }
    long payload = e.at() + HDR;
    long edge = EDGES[c.pick(EDGES.length)];
    if (e instanceof DeltaEntry.SetAttr a) {
      Images.putU32(b, payload + offset(SETATTR, "valid"), a.valid() | Format.ATTR_SIZE);
      Images.putU64(b, payload + offset(SETATTR, "size"), edge);
    } else {
      long field = e instanceof DeltaEntry.Write ? offset(WRITE, "offset") : offset(TRUNCATE, "new_size");
      Images.putU64(b, payload + field, edge);
    }
  }

  /** The same name created again in the same directory, for an inode number no one has yet. */
  private static void repeatNamingEntry(byte[] b, Image image, Choices c) {
    BranchRecord r = usedRecord(image, c);
    DeltaEntry e = r == null ? null : entry(image, r, c, NAMING);
    if (e == null || Long.compareUnsigned(r.logSize() + e.totalSize(), r.logCapacity()) > 0
        || r.logOffset() + r.logSize() + e.totalSize() > b.length) {
      return;
    }
    int end = Math.toIntExact(r.logOffset() + r.logSize());
    System.arraycopy(b, Math.toIntExact(e.at()), b, end, e.totalSize());
    long fresh = image.superblock().nextInodeId();
    Images.putU64(b, end + offset(DELTA_HEADER, "ino"), fresh);
    Images.putU64(b, end + HDR + (e instanceof DeltaEntry.Symlink ? offset(SYMLINK, "new_ino") : offset(CREATE, "new_ino")),
        fresh);
    Images.putU64(b, offset(SUPERBLOCK, "next_inode_id"), fresh + 1);
    Images.putU64(b, r.at() + offset(BRANCH_RECORD, "delta_log_size"), r.logSize() + e.totalSize());
  }

  private static BranchRecord usedRecord(Image image, Choices c) {
    List<BranchRecord> used = image.branchTable().records().stream().filter(r -> r.state() != Format.BRANCH_FREE)
        .toList();
    return used.isEmpty() ? null : used.get(c.pick(used.size()));
  }

  /** One decodable entry of {@code r}'s log that {@code kind} accepts, or null. */
  private static DeltaEntry entry(Image image, BranchRecord r, Choices c, Predicate<DeltaEntry> kind) {
    List<DeltaEntry> entries = new ArrayList<>();
    try {
      for (DeltaEntry e : image.deltaLog(r)) {
        if (entries.size() == MAX_ENTRIES) {
          break;
        }
        if (kind.test(e)) {
          entries.add(e);
        }
      }
    } catch (FormatException x) {
      // The entries before the undecodable one are still there to choose from.
    }
    return entries.isEmpty() ? null : entries.get(c.pick(entries.size()));
  }
}
