package dev.daxfs.validate;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;
import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.DELTA_HEADER;
import static dev.daxfs.format.Structs.DIRENT;
import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.WRITE;
import static dev.daxfs.validate.Fixture.COUNT;
import static dev.daxfs.validate.Fixture.EMPTY;
import static dev.daxfs.validate.Fixture.FILE;
import static dev.daxfs.validate.Fixture.LEAF;
import static dev.daxfs.validate.Fixture.LINK;
import static dev.daxfs.validate.Fixture.ROOT;
import static dev.daxfs.validate.Fixture.SUB;
import static dev.daxfs.validate.Fixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.Node;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One crafted image per rule of FORMAT.md, each breaking exactly that rule: the report must name
 * that rule and no other, at the absolute offset of the broken field, and say so in its line.
 */
class RuleTest {
  private static final int ACTIVE = Format.BRANCH_ACTIVE;
  private static final byte[] NO_LOG = new byte[0];

  /**
   * Asserts that {@code rule} is the only rule {@code f} breaks, with a problem at {@code offset},
   * and that the kernel-only mode reports it exactly when the v3 kernel's validate refuses it.
   */
  static Problem only(Fixture f, Rule rule, long offset) {
    Problem p = only(f.check(), rule, offset);
    Report kernel = f.check(new Options(f.length(), true, 100));
    if (rule.kernel()) {
      only(kernel, rule, offset);
    } else {
      assertEquals(0, kernel.total(), () -> "kernel mode: " + kernel.problems());
    }
    return p;
  }

  /** Asserts that {@code rule} is the only rule broken, with a problem at {@code offset}. */
  static Problem only(Report report, Rule rule, long offset) {
    Set<Integer> rules = report.problems().stream().map(p -> p.rule().number())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(rule.number()), rules, () -> "problems: " + report.problems());
    Problem p = report.problems().stream().filter(q -> q.offset() == offset).findFirst()
        .orElseThrow(() -> new AssertionError("no problem at offset " + offset + ": " + report.problems()));
    String line = p.toString();
    assertTrue(line.startsWith("rule " + rule.number() + " " + rule.severity().label() + ": "), line);
    assertTrue(line.contains(" at offset " + offset), line);
    assertEquals(rule.severity() == Severity.ERROR ? report.problems().size() : 0, report.errors());
    return p;
  }

  // ---- the fixtures themselves are valid

  @Test void fixturesAreValid() {
    assertEquals(0, Fixture.staticImage().check().total(), () -> Fixture.staticImage().check().problems().toString());
    assertEquals(0, Fixture.branching().check().total(), () -> Fixture.branching().check().problems().toString());
  }

  // ---- superblock

  @Test void rule1Magic() {
    only(Fixture.staticImage().superblock("magic", 0x12345678), Rule.IMAGE_MAGIC, at(SUPERBLOCK, "magic"));
  }

  @Test void rule2Version() {
    only(Fixture.staticImage().superblock("version", 4), Rule.IMAGE_VERSION, at(SUPERBLOCK, "version"));
  }

  @Test void rule3FlagsAndBlockSize() {
    only(Fixture.staticImage().superblock("flags", 1), Rule.IMAGE_FLAGS, at(SUPERBLOCK, "flags"));
    only(Fixture.staticImage().superblock("block_size", 8192), Rule.IMAGE_FLAGS, at(SUPERBLOCK, "block_size"));
  }

  @Test void rule4TotalSize() {
    Fixture f = Fixture.staticImage();
    Problem p = only(f.superblock("total_size", f.length() + 4096L), Rule.TOTAL_SIZE,
        at(SUPERBLOCK, "total_size"));
    assertTrue(p.found().contains(String.valueOf(f.length() + 4096L)), p.toString());
  }

  @Test void rule4DeviceSizeIsTheExpectedSize() {
    Fixture f = Fixture.staticImage();
    Report r = f.check(new Options(f.length() + 4096L, false, 100));
    only(r, Rule.TOTAL_SIZE, at(SUPERBLOCK, "total_size"));
  }

  @Test void rule4ShorterThanTheSuperblock() {
    Report r = Validator.check(dev.daxfs.format.ImageBytes.of(new byte[40]), Options.of(40));
    only(r, Rule.TOTAL_SIZE, 0);
  }

  @Test void rule5RegionOutsideTheImage() {
    Fixture f = Fixture.staticImage();
    only(f.superblock("base_size", f.length()), Rule.REGIONS_INSIDE, at(SUPERBLOCK, "base_offset"));
  }

  @Test void rule5OverflowingRegion() {
    Fixture f = Fixture.branching();
    only(f.superblock("delta_region_size", -f.deltaRegion() + 1), Rule.REGIONS_INSIDE,
        at(SUPERBLOCK, "delta_region_offset"));
  }

  @Test void rule6RegionPlacement() {
    // Shifted by 8 bytes: unaligned, and its end runs into the base image. The shifted table still
    // reads as 256 free records.
    only(Fixture.branching().superblock("branch_table_offset", Format.BLOCK_SIZE + 8).check(),
        Rule.REGION_PLACEMENT, at(SUPERBLOCK, "branch_table_offset"));
  }

  @Test void rule7ImageKind() {
    only(Fixture.staticImage().superblock("delta_region_size", 4096), Rule.IMAGE_KIND,
        at(SUPERBLOCK, "branch_table_offset"));
    only(Fixture.branching().superblock("branch_table_entries", 128), Rule.IMAGE_KIND,
        at(SUPERBLOCK, "branch_table_entries"));
  }

  @Test void rule8DeltaAllocOutsideTheRegion() {
    Fixture f = Fixture.branching();
    only(f.superblock("delta_alloc_offset", f.base()), Rule.DELTA_ALLOC_OFFSET,
        at(SUPERBLOCK, "delta_alloc_offset"));
  }

  @Test void rule8DeltaAllocInsideALog() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.superblock("delta_alloc_offset", f.deltaRegion() + 4096), Rule.DELTA_ALLOC_OFFSET,
        at(SUPERBLOCK, "delta_alloc_offset"));
  }

  @Test void rule8NoRoomForTheLogEveryMountCarves() {
    Fixture f = Fixture.branching();
    long end = f.deltaRegion() + f.layout.superblock().deltaRegionSize();
    only(f.superblock("delta_alloc_offset", end - 100), Rule.DELTA_ALLOC_OFFSET, at(SUPERBLOCK, "delta_alloc_offset"));
  }

  @Test void replayRunsWhenOnlyTheSuperblockIsWrong() {
    Fixture f = Fixture.branching().superblock("flags", 1)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 1, new DeltaLogBuilder().truncate(99, 0).toByteArray());
    Set<Integer> rules = f.check().problems().stream().map(p -> p.rule().number()).collect(Collectors.toSet());
    assertEquals(Set.of(Rule.IMAGE_FLAGS.number(), Rule.ENTRY_TARGET.number()), rules);
  }

  @Test void rule9NextInodeId() {
    only(Fixture.branching().superblock("next_inode_id", COUNT), Rule.NEXT_INODE_ID,
        at(SUPERBLOCK, "next_inode_id"));
  }

  @Test void rule9CountsInodesCreatedInLogs() {
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("new")).toByteArray();
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.NEXT_INODE_ID, at(SUPERBLOCK, "next_inode_id"));
    f.superblock("next_inode_id", COUNT + 2);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule54SuperblockTail() {
    only(Fixture.staticImage().putBytes(2000, new byte[] {1}), Rule.SUPERBLOCK_TAIL, 2000);
  }

  @Test void rule55BranchCountersOfAStaticImage() {
    only(Fixture.staticImage().superblock("active_branches", 1), Rule.STATIC_BRANCH_COUNTERS,
        at(SUPERBLOCK, "active_branches"));
    only(Fixture.staticImage().superblock("next_branch_id", 2), Rule.STATIC_BRANCH_COUNTERS,
        at(SUPERBLOCK, "next_branch_id"));
  }

  // ---- base image

  @Test void rule10BaseMagic() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("magic", 0), Rule.BASE_MAGIC, f.base() + at(BASE_SUPERBLOCK, "magic"));
    Fixture g = Fixture.staticImage();
    only(g.baseSuperblock("version", 2), Rule.BASE_MAGIC, g.base() + at(BASE_SUPERBLOCK, "magic"));
  }

  @Test void rule11BaseFlags() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("flags", 2), Rule.BASE_FLAGS, f.base() + at(BASE_SUPERBLOCK, "flags"));
  }

  @Test void rule12BaseTotalSize() {
    Fixture f = Fixture.branching();
    long baseSize = f.layout.superblock().baseSize();
    only(f.baseSuperblock("total_size", baseSize + 4096), Rule.BASE_TOTAL_SIZE,
        f.base() + at(BASE_SUPERBLOCK, "total_size"));
  }

  @Test void rule13InodeTable() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("inode_count", 0x7fffffffL), Rule.INODE_TABLE_INSIDE,
        f.base() + at(BASE_SUPERBLOCK, "inode_offset"));
  }

  @Test void rule14BaseLayout() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("data_offset", 0), Rule.BASE_LAYOUT, f.base() + at(BASE_SUPERBLOCK, "inode_offset"));
  }

  @Test void rule15RootInRange() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("root_inode", COUNT + 1), Rule.ROOT_IN_RANGE,
        f.base() + at(BASE_SUPERBLOCK, "root_inode"));
  }

  @Test void rule16RootIsDirectory() {
    Fixture f = Fixture.staticImage();
    only(f.baseSuperblock("root_inode", FILE), Rule.ROOT_IS_DIRECTORY, f.inode(FILE) + at(INODE, "mode"));
  }

  @Test void rule56BaseSuperblockTail() {
    Fixture f = Fixture.staticImage();
    only(f.putBytes(f.base() + 100, new byte[] {(byte) 0xff}), Rule.BASE_SUPERBLOCK_TAIL, f.base() + 100);
  }

  // ---- inodes and extents

  @Test void rule17InodeNumber() {
    Fixture f = Fixture.staticImage();
    only(f.inode(LEAF, "ino", LEAF + 1), Rule.INODE_NUMBER, f.inode(LEAF) + at(INODE, "ino"));
  }

  @Test void rule18InodeType() {
    Fixture f = Fixture.staticImage();
    int fifo = Format.S_IFIFO | 0600;
    f.inode(LEAF, "mode", fifo).dirent(SUB, LEAF, "mode", fifo);
    only(f, Rule.INODE_TYPE, f.inode(LEAF) + at(INODE, "mode"));
  }

  @Test void rule19ExtentInsideTheBase() {
    Fixture f = Fixture.staticImage();
    only(f.inode(LEAF, "size", f.layout.baseSuperblock().totalSize()), Rule.EXTENT_INSIDE,
        f.inode(LEAF) + at(INODE, "data_offset"));
  }

  @Test void rule19OverflowingExtent() {
    Fixture f = Fixture.staticImage();
    only(f.inode(LEAF, "size", -4096L), Rule.EXTENT_INSIDE, f.inode(LEAF) + at(INODE, "data_offset"));
  }

  @Test void rule20ExtentInTheInodeTable() {
    Fixture f = Fixture.staticImage();
    only(f.inode(LEAF, "data_offset", Format.BLOCK_SIZE), Rule.EXTENT_IN_DATA_AREA,
        f.inode(LEAF) + at(INODE, "data_offset"));
  }

  @Test void rule21FileExtentAlignment() {
    Fixture f = Fixture.staticImage();
    only(f.inode(FILE, "data_offset", f.layout.dataOffset(FILE) + 8), Rule.FILE_EXTENT_ALIGNED,
        f.inode(FILE) + at(INODE, "data_offset"));
  }

  @Test void rule22OverlappingExtents() {
    Fixture f = Fixture.staticImage();
    // Both start at the same byte: the sweep meets the shorter extent first and reports the longer.
    only(f.inode(LEAF, "data_offset", f.layout.dataOffset(FILE)), Rule.EXTENT_OVERLAP,
        f.inode(FILE) + at(INODE, "data_offset"));
  }

  @Test void rule22SharedFileExtentsAreLegal() {
    Fixture f = Fixture.staticImage();
    f.inode(LEAF, "data_offset", f.layout.dataOffset(FILE)).inode(LEAF, "size", 5000);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule22SymlinkMayNotShareAFileExtent() {
    Fixture f = Fixture.staticImage();
    // "abcde" then 'f': point the link at the file's first bytes and put a NUL after 5 of them.
    f.inode(LINK, "data_offset", f.layout.dataOffset(FILE)).putBytes(f.data(FILE) + 5, new byte[1]);
    only(f, Rule.EXTENT_OVERLAP, f.inode(FILE) + at(INODE, "data_offset"));
  }

  @Test void rule57InodeReserved() {
    Fixture f = Fixture.staticImage();
    long at = f.inode(FILE) + at(INODE, "reserved") + 27;
    Problem p = only(f.putBytes(at, new byte[] {7}), Rule.INODE_RESERVED, at);
    assertEquals(FILE, p.inode());
  }

  // ---- directories

  @Test void rule23DirectorySize() {
    Fixture f = Fixture.staticImage();
    f.inode(EMPTY, "size", 100).inode(EMPTY, "data_offset", f.layout.dataOffset(SUB) + Format.DIRENT_SIZE);
    only(f, Rule.DIRECTORY_SIZE, f.inode(EMPTY) + at(INODE, "size"));
  }

  @Test void rule24DirentIno() {
    Fixture f = Fixture.staticImage().emptyDirGets(COUNT + 1, Format.S_IFREG | 0644, "ghost");
    only(f, Rule.DIRENT_INO, f.extraDirent());
  }

  @Test void rule25NameLength() {
    Fixture f = Fixture.staticImage();
    only(f.dirent(ROOT, FILE, "name_len", 200), Rule.DIRENT_NAME_LENGTH,
        f.dirent(ROOT, FILE) + at(DIRENT, "name_len"));
  }

  @Test void rule26Name() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name"), Node.name("a/txt"));
    Problem p = only(f, Rule.DIRENT_NAME, f.dirent(ROOT, FILE) + at(DIRENT, "name"));
    assertTrue(p.found().contains("'a/txt'"), p.toString());
    assertEquals("/", p.path());
  }

  @Test void rule26DotNames() {
    Fixture f = Fixture.staticImage();
    f.dirent(ROOT, LINK, "name_len", 2).putBytes(f.dirent(ROOT, LINK) + at(DIRENT, "name"), new byte[] {'.', '.', 0, 0});
    only(f, Rule.DIRENT_NAME, f.dirent(ROOT, LINK) + at(DIRENT, "name"));
  }

  @Test void rule27Padding() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name") + 100, new byte[] {'x'});
    only(f, Rule.DIRENT_PADDING, f.dirent(ROOT, FILE));
  }

  @Test void rule28DuplicateName() {
    Fixture f = Fixture.staticImage();
    // "empty" becomes "link": same directory, same name as the symlink's dirent.
    f.dirent(ROOT, EMPTY, "name_len", 4).putBytes(f.dirent(ROOT, EMPTY) + at(DIRENT, "name"), Node.name("link\0"));
    only(f, Rule.DUPLICATE_NAME, f.dirent(ROOT, LINK));
  }

  @Test void rule29DirentMode() {
    Fixture f = Fixture.staticImage();
    only(f.dirent(ROOT, FILE, "mode", Format.S_IFREG | 0600), Rule.DIRENT_MODE,
        f.dirent(ROOT, FILE) + at(DIRENT, "mode"));
  }

  @Test void rule58EmptyDirectoryDataOffset() {
    Fixture f = Fixture.staticImage();
    only(f.inode(EMPTY, "data_offset", 4096), Rule.EMPTY_DIRECTORY_OFFSET, f.inode(EMPTY) + at(INODE, "data_offset"));
  }

  // ---- tree shape

  @Test void rule30SecondName() {
    Fixture f = Fixture.staticImage();
    f.emptyDirGets(FILE, f.mode(FILE), "hardlink");
    Problem p = only(f, Rule.REACHED_ONCE, f.extraDirent());
    assertEquals("/empty", p.path());
  }

  @Test void rule30Cycle() {
    Fixture f = Fixture.staticImage();
    f.emptyDirGets(ROOT, f.mode(ROOT), "up");
    only(f, Rule.REACHED_ONCE, f.extraDirent());
  }

  @Test void rule31Orphan() {
    Fixture f = Fixture.staticImage();
    long seventh = f.inode(COUNT + 1);
    f.baseSuperblock("inode_count", COUNT + 1).set(INODE, seventh, "ino", COUNT + 1)
        .set(INODE, seventh, "mode", Format.S_IFREG | 0644);
    only(f, Rule.ORPHAN, seventh);
  }

  // ---- symlinks

  @Test void rule32SymlinkNotTerminated() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.data(LINK) + 5, new byte[] {'x'});
    only(f, Rule.SYMLINK_TERMINATED, f.data(LINK) + 5);
  }

  @Test void rule32SymlinkNulOutsideTheBase() {
    Fixture f = Fixture.staticImage();
    long used = f.layout.baseSuperblock().totalSize();
    // The target is the last 5 bytes of the base: its NUL would be the first byte after it.
    f.inode(LINK, "data_offset", used - 5).putBytes(f.base() + used - 5, Node.name("xxxxx"));
    only(f, Rule.SYMLINK_TERMINATED, f.inode(LINK) + at(INODE, "data_offset"));
  }

  @Test void rule32And33LongTarget() {
    // A 5000-byte target: too long for readlink (33), but its NUL right after it satisfies the
    // kernel (32); without that NUL the kernel refuses it too.
    Fixture f = Fixture.staticImage();
    f.inode(LINK, "data_offset", f.layout.dataOffset(FILE)).inode(FILE, "data_offset", f.layout.dataOffset(LINK))
        .inode(FILE, "size", 5).inode(LINK, "size", 5000);
    f.putBytes(f.data(FILE) + 5000, new byte[1]);
    only(f, Rule.SYMLINK_TARGET, f.inode(LINK) + at(INODE, "size"));
    f.putBytes(f.data(FILE) + 5000, new byte[] {'x'});
    Report r = f.check();
    assertEquals(Set.of(32, 33), r.problems().stream().map(p -> p.rule().number()).collect(Collectors.toSet()));
  }

  @Test void rule33SymlinkTarget() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.data(LINK) + 1, new byte[1]);
    only(f, Rule.SYMLINK_TARGET, f.data(LINK) + 1);
    Fixture g = Fixture.staticImage();
    only(g.inode(LINK, "size", 0), Rule.SYMLINK_TARGET, g.inode(LINK) + at(INODE, "size"));
  }

  // ---- branch table

  @Test void rule34BranchState() {
    Fixture f = Fixture.branching().branch(0, 1, 0, 7, "main", COUNT + 1, NO_LOG);
    only(f, Rule.BRANCH_STATE, f.record(0) + at(BRANCH_RECORD, "state"));
  }

  @Test void rule35BranchName() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    byte[] name = new byte[Format.BRANCH_NAME_FIELD];
    Arrays.fill(name, (byte) 'x');
    f.putBytes(f.record(0) + at(BRANCH_RECORD, "name"), name);
    only(f, Rule.BRANCH_NAME, f.record(0) + at(BRANCH_RECORD, "name"));
  }

  @Test void rule36LogInsideTheRegion() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.branchField(0, "delta_log_size", Format.KERNEL_LOG_CAPACITY + 1), Rule.BRANCH_LOG_INSIDE,
        f.record(0) + at(BRANCH_RECORD, "delta_log_offset"));
    Fixture g = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(g.branchField(0, "delta_log_offset", g.base()), Rule.BRANCH_LOG_INSIDE,
        g.record(0) + at(BRANCH_RECORD, "delta_log_offset"));
  }

  @Test void rule37OverlappingLogs() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 2, 1, Format.BRANCH_ABORTED, "", COUNT + 1, NO_LOG);
    only(f.branchField(1, "delta_log_offset", f.deltaRegion() + 4096), Rule.BRANCH_LOG_OVERLAP,
        f.record(1) + at(BRANCH_RECORD, "delta_log_offset"));
  }

  @Test void rule38Parent() {
    Fixture f = Fixture.branching().branch(0, 1, 5, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f, Rule.BRANCH_PARENT, f.record(0) + at(BRANCH_RECORD, "parent_id"));
    Fixture self = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 2, 2, ACTIVE, "loop", COUNT + 1, NO_LOG);
    only(self, Rule.BRANCH_PARENT, self.record(1) + at(BRANCH_RECORD, "parent_id"));
  }

  @Test void rule38ParentMustComeFirst() {
    // The kernel never frees a slot, so a parent always sits in an earlier slot than its child.
    Fixture f = Fixture.branching().branch(0, 2, 1, ACTIVE, "child", COUNT + 1, NO_LOG)
        .branch(1, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f, Rule.BRANCH_PARENT, f.record(0) + at(BRANCH_RECORD, "parent_id"));
  }

  @Test void rule39DuplicateActiveBranches() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    Report r = f.check();
    only(r, Rule.BRANCH_DUPLICATE, f.record(1));
    assertTrue(r.valid(false));
    assertTrue(!r.valid(true));
  }

  @Test void rule40Refcount() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.branchField(0, "refcount", 3), Rule.BRANCH_REFCOUNT, f.record(0) + at(BRANCH_RECORD, "refcount"));
  }

  @Test void rule40RefcountCountsActiveChildren() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 2, 1, ACTIVE, "feature", COUNT + 1, NO_LOG);
    only(f, Rule.BRANCH_REFCOUNT, f.record(0) + at(BRANCH_RECORD, "refcount"));
    f.branchField(0, "refcount", 2);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule41ActiveBranches() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.superblock("active_branches", 2), Rule.ACTIVE_BRANCHES, at(SUPERBLOCK, "active_branches"));
  }

  @Test void rule42NextBranchId() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.superblock("next_branch_id", 1), Rule.NEXT_BRANCH_ID, at(SUPERBLOCK, "next_branch_id"));
  }

  @Test void rule43NextLocalIno() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", 2, NO_LOG);
    Report r = f.check();
    only(r, Rule.NEXT_LOCAL_INO, f.record(0) + at(BRANCH_RECORD, "next_local_ino"));
    assertTrue(r.valid(false));
  }

  @Test void rule59BranchRecordReserved() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    long at = f.record(0) + at(BRANCH_RECORD, "reserved");
    only(f.putBytes(at, new byte[] {1}), Rule.BRANCH_RESERVED, at);
  }

  @Test void rule60FreeRecord() {
    Fixture f = Fixture.branching();
    long at = f.record(7) + at(BRANCH_RECORD, "reserved") + 39;
    only(f.putBytes(at, new byte[] {1}), Rule.FREE_RECORD, at);
  }

  @Test void rule61ByteInNoRegion() {
    // The padding of a static image of a fixed size (mkdaxfs -s): no region holds it.
    Fixture f = Fixture.staticImage().grown(8192);
    long at = f.length() - 5000;
    only(f.putBytes(at, new byte[] {1}), Rule.BYTES_IN_NO_REGION, at);
  }

  // ---- delta logs

  @Test void rule44Framing() {
    byte[] log = new byte[(int) DELTA_HEADER.byteSize()];
    log[0] = Format.DELTA_TRUNCATE;
    log[(int) at(DELTA_HEADER, "total_size")] = 10;
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    only(f, Rule.ENTRY_FRAMING, f.deltaRegion());
  }

  @Test void rule44EntryRunsPastTheCapacity() {
    byte[] log = new DeltaLogBuilder().truncate(FILE, 10).truncate(FILE, 20).toByteArray();
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    f.branchField(0, "delta_log_size", log.length - 1).branchField(0, "delta_log_capacity", log.length - 1);
    only(f, Rule.ENTRY_FRAMING, f.deltaRegion() + log.length / 2);
  }

  @Test void rule44LastEntryMayReachPastTheSizeAsTheKernelReadsIt() {
    byte[] log = new DeltaLogBuilder().truncate(FILE, 10).truncate(FILE, 20).toByteArray();
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    f.branchField(0, "delta_log_size", log.length - 1);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule45Type() {
    byte[] log = new DeltaLogBuilder().truncate(FILE, 10).toByteArray();
    log[0] = 99;
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    only(f, Rule.ENTRY_TYPE, f.deltaRegion());
  }

  @Test void rule46Payload() {
    byte[] log = new DeltaLogBuilder().write(FILE, 0, new byte[8]).toByteArray();
    log[(int) (DELTA_HEADER.byteSize() + at(WRITE, "len"))] = 9;
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    only(f, Rule.ENTRY_PAYLOAD, f.deltaRegion());
  }

  @Test void rule46SymlinkTargetWithoutNul() {
    byte[] log = new DeltaLogBuilder().symlink(ROOT, COUNT + 1, Node.name("l"), Node.name("target")).toByteArray();
    log[log.length - 1] = 'x';
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.ENTRY_PAYLOAD, f.deltaRegion());
  }

  @Test void rule47EntryName() {
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("a/b")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.ENTRY_NAME, f.deltaRegion());
  }

  @Test void rule48EntrySize() {
    byte[] log = new DeltaLogBuilder().truncate(FILE, -1L).toByteArray();
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    only(f, Rule.ENTRY_SIZE, f.deltaRegion());
  }

  @Test void rule47CreateWithDirectoryMode() {
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFDIR | 0755, Node.name("d")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.ENTRY_NAME, f.deltaRegion());
  }

  @Test void rule47CreateWithoutFileType() {
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, 01, Node.name("f")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.ENTRY_NAME, f.deltaRegion());
  }

  /** F5, found by a 1-hour branchHistories run: the kernel's readdir of a log takes the type from the mode. */
  @Test void rule47MkdirWithoutDirectoryType() {
    byte[] log = new DeltaLogBuilder().mkdir(ROOT, COUNT + 1, 01, Node.name("d")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    only(f, Rule.ENTRY_NAME, f.deltaRegion());
  }

  // ---- replay (the codec's Replay, per ACTIVE branch)

  /** A main branch whose log is {@code log}, with the counters set past inode COUNT + 1. */
  private static Fixture mainWith(DeltaLogBuilder log) {
    return Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log.toByteArray());
  }

  @Test void replayOfAValidLogIsClean() {
    DeltaLogBuilder log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("n"))
        .write(COUNT + 1, 0, Node.name("hello")).rename(ROOT, SUB, FILE, Node.name("a.txt"), Node.name("moved"))
        .delete(SUB, LEAF, Node.name("leaf")).truncate(COUNT + 1, 2).setattr(COUNT + 1, 0600, 1, 1, 7, 0);
    Report r = mainWith(log).check();
    assertEquals(0, r.total(), () -> r.problems().toString());
  }

  @Test void rule49ParentMissing() {
    Fixture f = mainWith(new DeltaLogBuilder().create(99, COUNT + 1, Format.S_IFREG | 0644, Node.name("n")));
    only(f, Rule.ENTRY_PARENT, f.deltaRegion());
  }

  @Test void rule49ParentNotADirectory() {
    Fixture f = mainWith(new DeltaLogBuilder().mkdir(FILE, COUNT + 1, Format.S_IFDIR | 0755, Node.name("n")));
    only(f, Rule.ENTRY_PARENT, f.deltaRegion());
  }

  @Test void rule50NewInodeCollidesWithABaseInode() {
    Fixture f = mainWith(new DeltaLogBuilder().create(ROOT, 2, Format.S_IFREG | 0644, Node.name("n")));
    only(f, Rule.ENTRY_NEW_INODE, f.deltaRegion());
  }

  @Test void rule50MainCreatingFromTwoAsTheKernelDoesIsAnError() {
    // What the v3 kernel writes when something is created in main: next_local_ino 2, so inode 2.
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", 3,
        new DeltaLogBuilder().create(ROOT, 2, Format.S_IFREG | 0644, Node.name("n")).toByteArray());
    Report r = f.check();
    assertTrue(r.problems().stream().anyMatch(q -> q.rule() == Rule.ENTRY_NEW_INODE && q.offset() == f.deltaRegion()),
        r.problems()::toString);
    assertTrue(!r.valid(false));
  }

  @Test void rule50NumberHandedOutTwice() {
    DeltaLogBuilder log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("a"));
    int first = log.size();
    log.create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("b"));
    Fixture f = mainWith(log);
    only(f, Rule.ENTRY_NEW_INODE, f.deltaRegion() + first);
  }

  @Test void rule51NameExists() {
    Fixture f = mainWith(new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("a.txt")));
    only(f, Rule.ENTRY_NAME_EXISTS, f.deltaRegion());
  }

  @Test void rule52DeleteOfAMissingName() {
    Fixture f = mainWith(new DeltaLogBuilder().delete(ROOT, FILE, Node.name("nope")));
    only(f, Rule.ENTRY_SOURCE, f.deltaRegion());
  }

  @Test void rule52RenameOfAnotherInode() {
    Fixture f = mainWith(new DeltaLogBuilder().rename(ROOT, ROOT, LEAF, Node.name("a.txt"), Node.name("b")));
    only(f, Rule.ENTRY_SOURCE, f.deltaRegion());
  }

  @Test void rule52DeleteOfANonEmptyDirectory() {
    Fixture f = mainWith(new DeltaLogBuilder().delete(ROOT, SUB, Node.name("sub")));
    only(f, Rule.ENTRY_SOURCE, f.deltaRegion());
  }

  @Test void rule52RenameOfADirectoryIntoItself() {
    Fixture f = mainWith(new DeltaLogBuilder().rename(ROOT, SUB, SUB, Node.name("sub"), Node.name("inner")));
    only(f, Rule.ENTRY_SOURCE, f.deltaRegion());
  }

  @Test void rule53TargetMissing() {
    Fixture f = mainWith(new DeltaLogBuilder().truncate(99, 0));
    only(f, Rule.ENTRY_TARGET, f.deltaRegion());
  }

  @Test void rule53WriteIntoADirectory() {
    Fixture f = mainWith(new DeltaLogBuilder().write(SUB, 0, Node.name("x")));
    only(f, Rule.ENTRY_TARGET, f.deltaRegion());
  }

  @Test void replayFollowsTheParentChain() {
    // feature (slot 1) creates in a directory main (slot 0) made: valid only through the chain.
    byte[] mainLog = new DeltaLogBuilder().mkdir(ROOT, COUNT + 1, Format.S_IFDIR | 0755, Node.name("d")).toByteArray();
    byte[] featureLog = new DeltaLogBuilder().create(COUNT + 1, COUNT + 2, Format.S_IFREG | 0644, Node.name("f"))
        .toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 3)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 3, mainLog).branch(1, 2, 1, ACTIVE, "feature", COUNT + 3, featureLog)
        .branchField(0, "refcount", 2);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
    // Without its parent the same log has no meaning.
    f.branchField(1, "parent_id", 0);
    f.branchField(0, "refcount", 1);
    only(f, Rule.ENTRY_PARENT, f.deltaRegion() + Format.KERNEL_LOG_CAPACITY);
  }
}
