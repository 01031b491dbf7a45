package dev.daxfs.validate;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;
import static dev.daxfs.format.Structs.BRANCH_RECORD;
import static dev.daxfs.format.Structs.DELTA_HEADER;
import static dev.daxfs.format.Structs.DIRENT;
import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.validate.Fixture.COUNT;
import static dev.daxfs.validate.Fixture.FILE;
import static dev.daxfs.validate.Fixture.LEAF;
import static dev.daxfs.validate.Fixture.LINK;
import static dev.daxfs.validate.Fixture.ROOT;
import static dev.daxfs.validate.Fixture.SUB;
import static dev.daxfs.validate.Fixture.at;
import static dev.daxfs.validate.RuleTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Each rule at its edges: the last value a rule allows beside the first it refuses (touching
 * extents and regions, exact alignment, a range ending on the last byte), and each part of a rule
 * on its own, so that no other rule's report can stand in for it. Complements {@link RuleTest}.
 */
class RuleBoundaryTest {
  private static final int ACTIVE = Format.BRANCH_ACTIVE;
  private static final byte[] NO_LOG = new byte[0];
  private static final long SB_BASE = at(SUPERBLOCK, "base_offset");
  private static final long SB_TABLE = at(SUPERBLOCK, "branch_table_offset");
  private static final long SB_DELTA = at(SUPERBLOCK, "delta_region_offset");

  /** Asserts that the report holds exactly one problem of {@code rule} at each of {@code offsets}, and no other. */
  static void exactly(Report r, Rule rule, long... offsets) {
    List<String> expected = LongStream.of(offsets).sorted().mapToObj(o -> rule.number() + "@" + o).toList();
    List<String> found = r.problems().stream()
        .sorted(Comparator.comparingInt((Problem p) -> p.rule().number()).thenComparingLong(Problem::offset))
        .map(p -> p.rule().number() + "@" + p.offset()).toList();
    assertEquals(expected, found, () -> "problems: " + r.problems());
    assertEquals(rule.severity() == Severity.ERROR ? offsets.length : 0, r.errors());
    assertEquals(rule.severity() == Severity.WARNING ? offsets.length : 0, r.warnings());
  }

  static Set<Integer> rules(Report r) {
    return r.problems().stream().map(p -> p.rule().number()).collect(Collectors.toCollection(TreeSet::new));
  }

  static List<Problem> of(Report r, Rule rule) {
    return r.problems().stream().filter(p -> p.rule() == rule).toList();
  }

  static Report check(byte[] image) {
    return Validator.check(ImageBytes.of(image), Options.of(image.length));
  }

  // ---- rules 54-60: bytes the sheet fixes at zero, and what it leaves free

  @Test void rule54TailBoundsAreTheFieldsAndTheBlock() {
    Fixture f = Fixture.staticImage();
    only(f.putBytes(SUPERBLOCK.byteSize(), new byte[] {1}), Rule.SUPERBLOCK_TAIL, SUPERBLOCK.byteSize());
    only(Fixture.staticImage().putBytes(Format.SUPERBLOCK_SIZE - 1, new byte[] {1}), Rule.SUPERBLOCK_TAIL,
        Format.SUPERBLOCK_SIZE - 1);
    // The byte after the block is the base superblock's magic, not the tail.
    assertTrue(Fixture.staticImage().putBytes(Format.SUPERBLOCK_SIZE, new byte[] {1}).check().problems().stream()
        .noneMatch(q -> q.rule() == Rule.SUPERBLOCK_TAIL));
  }

  @Test void rule55BranchingImagesKeepTheirCounters() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    assertEquals(1, f.get(SUPERBLOCK, 0, "active_branches"));
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule56TailBounds() {
    Fixture f = Fixture.staticImage();
    long first = f.base() + BASE_SUPERBLOCK.byteSize();
    only(f.putBytes(first, new byte[] {1}), Rule.BASE_SUPERBLOCK_TAIL, first);
    Fixture g = Fixture.staticImage();
    long last = g.base() + Format.BASE_SUPERBLOCK_SIZE - 1;
    only(g.putBytes(last, new byte[] {1}), Rule.BASE_SUPERBLOCK_TAIL, last);
  }

  @Test void rule57FirstReservedByteAndNlinkIsFree() {
    Fixture f = Fixture.staticImage();
    long first = f.inode(SUB) + at(INODE, "reserved");
    only(f.putBytes(first, new byte[] {1}), Rule.INODE_RESERVED, first);
    // nlink is not checked: the reference tool copies st_nlink and the kernel ignores it.
    Fixture g = Fixture.staticImage().inode(FILE, "nlink", 0).inode(SUB, "nlink", 99);
    assertEquals(0, g.check().total(), () -> g.check().problems().toString());
  }

  @Test void rule58OnlyEmptyDirectories() {
    // An empty regular file's data_offset is the cursor, as the reference tool writes it.
    Fixture f = Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("e"), 0644, 0, 0, 0, Content.of(new byte[0])),
        new Node.File(Node.name("f"), 0644, 0, 0, 1, Content.of(new byte[] {1})))), ImageSpec.staticImage());
    assertTrue(f.get(INODE, f.inode(2), "data_offset") != 0);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule59LastReservedByteAndNameTailIsFree() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    long last = f.record(0) + Format.BRANCH_RECORD_SIZE - 1;
    only(f.putBytes(last, new byte[] {1}), Rule.BRANCH_RESERVED, last);
    // strscpy leaves the name field's bytes after the NUL as they were.
    Fixture g = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .putBytes(Fixture.branching().record(0) + at(BRANCH_RECORD, "name") + 10, new byte[] {'x'});
    assertEquals(0, g.check().total(), () -> g.check().problems().toString());
  }

  @Test void rule60FirstByteOfAFreeRecord() {
    Fixture f = Fixture.branching();
    only(f.putBytes(f.record(255), new byte[] {1}), Rule.FREE_RECORD, f.record(255));
  }

  @Test void rule61EachGapToItsEdgesAndNothingInARegion() {
    // Padding after the base: its first and last byte; the base's last byte and the superblock tail are not in it.
    Fixture f = Fixture.staticImage();
    long end = f.length();
    Fixture padded = f.grown(4096);
    only(padded.putBytes(end, new byte[] {1}), Rule.BYTES_IN_NO_REGION, end);
    only(Fixture.staticImage().grown(4096).putBytes(end + 4095, new byte[] {2}), Rule.BYTES_IN_NO_REGION, end + 4095);
    assertTrue(rules(Fixture.staticImage().grown(4096).putBytes(end - 1, new byte[] {1}).check())
        .stream().noneMatch(r -> r == 61));
    // A base that starts a block late: the block before it.
    Fixture late = f.grown(4096).superblock("base_offset", f.base() + 4096);
    late.putBytes(f.base(), new byte[4096]);
    late.putBytes(f.base() + 4096, Arrays.copyOfRange(f.bytes(), (int) f.base(), (int) f.length()));
    assertEquals(0, late.check().total(), () -> late.check().problems().toString());
    exactly(late.putBytes(f.base(), new byte[] {1}).putBytes(f.base() + 4095, new byte[] {1}).check(),
        Rule.BYTES_IN_NO_REGION, f.base());
    // A delta region that starts a block after the base: the block between; the table and delta region are not in it.
    Fixture b = Fixture.branching();
    long delta = b.deltaRegion();
    b.superblock("delta_region_offset", delta + 4096).superblock("delta_region_size", 256 * 1024 - 4096)
        .superblock("delta_alloc_offset", delta + 4096);
    assertEquals(0, b.check().total(), () -> b.check().problems().toString());
    exactly(b.putBytes(delta + 4095, new byte[] {1}).putBytes(delta + 4096, new byte[] {1}).check(),
        Rule.BYTES_IN_NO_REGION, delta + 4095);
  }

  @Test void rule61OverlappingAndOutsizedRegionsAreSafe() {
    // Regions overlapping each other or running past the image: rules 5 and 6 report them, and rule 61 does not crash.
    Fixture f = Fixture.branching();
    f.superblock("delta_region_size", -1L);
    assertTrue(rules(f.check()).stream().noneMatch(r -> r == 61), () -> f.check().problems().toString());
    // A branch table moved onto the base: rule 6 says so; where it was is not reported again.
    Fixture g = Fixture.branching().putBytes(Format.SUPERBLOCK_SIZE + 10, new byte[] {1});
    g.superblock("branch_table_offset", g.base());
    Set<Integer> found = rules(g.check());
    assertTrue(found.contains(6) && !found.contains(61), found::toString);
  }

  // ---- rule 5 and 6: regions

  @Test void rule6MisalignedBaseAlone() {
    // The whole base moved on by 8 bytes (everything in it is base-relative): only its placement is wrong.
    Fixture f = Fixture.staticImage();
    Fixture g = f.grown(8).superblock("base_offset", f.base() + 8);
    g.putBytes(f.base(), new byte[8]);
    g.putBytes(f.base() + 8, Arrays.copyOfRange(f.bytes(), (int) f.base(), (int) f.length()));
    exactly(g.check(), Rule.REGION_PLACEMENT, SB_BASE);
    assertEquals(0, g.check(new Options(g.length(), true, 100)).total());
  }

  @Test void rule6MisalignedTableAlone() {
    // A table of free records placed 8 bytes past the end of the codec's image, clear of every region.
    Fixture f = Fixture.branching();
    Fixture g = f.grown(8 + Format.BRANCH_TABLE_SIZE).superblock("branch_table_offset", f.length() + 8);
    exactly(g.check(), Rule.REGION_PLACEMENT, SB_TABLE);
  }

  @Test void rule6MisalignedDeltaRegionAlone() {
    Fixture f = Fixture.branching();
    long size = f.layout.superblock().deltaRegionSize();
    f.superblock("delta_region_offset", f.deltaRegion() + 8).superblock("delta_region_size", size - 8)
        .superblock("delta_alloc_offset", f.deltaRegion() + 8);
    exactly(f.check(), Rule.REGION_PLACEMENT, SB_DELTA);
  }

  @Test void rule6NoBaseImage() {
    exactly(Fixture.staticImage().superblock("base_offset", 0).check(), Rule.REGION_PLACEMENT, SB_BASE);
    // An absent base is not a region at offset 0: it overlaps neither the table nor the delta region.
    exactly(Fixture.branching().superblock("base_offset", 0).check(), Rule.REGION_PLACEMENT, SB_BASE);
  }

  @Test void rule6TouchingRegionsAreDisjointOneMoreByteOverlaps() {
    Fixture f = Fixture.branching();
    long touching = f.deltaRegion() - f.base();
    f.superblock("base_size", touching);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
    f.superblock("base_size", touching + 1);
    exactly(f.check(), Rule.REGION_PLACEMENT, SB_DELTA);
  }

  @Test void rule6TableInsideTheBaseRegion() {
    // base_size reaches over the delta region into a table placed after it; both overlaps are
    // reported at the later region's field.
    Fixture f = Fixture.branching();
    Fixture g = f.grown(Format.BRANCH_TABLE_SIZE).superblock("branch_table_offset", f.length())
        .superblock("base_size", grownEnd(f) - f.base());
    Report r = g.check();
    exactly(r, Rule.REGION_PLACEMENT, SB_TABLE, SB_DELTA);
    assertTrue(r.problems().stream().anyMatch(p -> p.offset() == SB_TABLE
        && p.expected().equals("branch table disjoint from the base region [" + f.base() + ", " + grownEnd(f) + ")")),
        r.problems()::toString);
  }

  private static long grownEnd(Fixture f) { return f.length() + Format.BRANCH_TABLE_SIZE; }

  @Test void rule6DeltaRegionOverTheTable() {
    // The delta region starts in the table's last block (free records, zeros): it overlaps the
    // table and the base; its own bytes are never read with no branch in use.
    Fixture f = Fixture.branching();
    long start = f.base() - Format.BLOCK_SIZE;
    f.superblock("delta_region_size", f.length() - start).superblock("delta_region_offset", start);
    Report r = f.check();
    exactly(r, Rule.REGION_PLACEMENT, SB_DELTA, SB_DELTA);
    assertTrue(r.problems().stream().anyMatch(p -> p.expected().startsWith("delta region disjoint from the branch table")),
        r.problems()::toString);
  }

  @Test void rule7FieldsOfAnAbsentRegionAreNoRegion() {
    // A static image's delta region size without an offset, and a table at offset 0: rule 7 only,
    // never an overlap of a region "at offset 0".
    exactly(Fixture.staticImage().superblock("delta_region_size", 65536).check(), Rule.IMAGE_KIND, SB_TABLE);
    exactly(Fixture.branching().superblock("branch_table_offset", 0).superblock("branch_table_entries", 512).check(),
        Rule.IMAGE_KIND, at(SUPERBLOCK, "branch_table_entries"));
  }

  @Test void rule5TableRunningPastTheEnd() {
    Fixture f = Fixture.branching().superblock("branch_table_offset", Fixture.branching().length() - Format.BLOCK_SIZE);
    exactly(f.check(), Rule.REGIONS_INSIDE, SB_TABLE);
    exactly(f.check(new Options(f.length(), true, 100)), Rule.REGIONS_INSIDE, SB_TABLE);
  }

  @Test void rule5BaseRunningPastTheEndOverlapsNothing() {
    Fixture f = Fixture.branching();
    exactly(f.superblock("base_size", f.length()).check(), Rule.REGIONS_INSIDE, SB_BASE);
  }

  @Test void rule5RegionEndingOnTheLastUnsignedValue() {
    // offset + size = 2^64 - 1 still fits in 64 bits: the region is shown with its end, not as overflow.
    Fixture f = Fixture.branching();
    f.superblock("delta_region_size", -1L - f.deltaRegion());
    Problem p = only(f.check(), Rule.REGIONS_INSIDE, SB_DELTA);
    assertEquals("delta region [" + f.deltaRegion() + ", 18446744073709551615)", p.found());
    f.superblock("delta_region_size", -f.deltaRegion());
    assertEquals("delta region [" + f.deltaRegion() + ", overflow)", only(f.check(), Rule.REGIONS_INSIDE, SB_DELTA).found());
  }

  // ---- base superblock

  @Test void rule13InodeTableEndingOnTheBaseEnd() {
    Fixture f = Fixture.staticImage();
    long room = (f.layout.superblock().baseSize() - Format.BLOCK_SIZE) / Format.INODE_SIZE;
    assertEquals(0, (f.layout.superblock().baseSize() - Format.BLOCK_SIZE) % Format.INODE_SIZE);
    f.baseSuperblock("inode_count", room);
    assertTrue(!rules(f.check()).contains(Rule.INODE_TABLE_INSIDE.number()), f.check().problems()::toString);
    f.baseSuperblock("inode_count", room + 1);
    exactly(f.check(), Rule.INODE_TABLE_INSIDE, f.base() + at(BASE_SUPERBLOCK, "inode_offset"));
  }

  @Test void rule14DataAreaRightAfterTheInodeTable() {
    Fixture f = Fixture.staticImage();
    f.baseSuperblock("data_offset", Format.BLOCK_SIZE + (long) COUNT * Format.INODE_SIZE);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule14DataAreaMayEndAtTotalSize() {
    Fixture f = Fixture.staticImage();
    long used = f.layout.baseSuperblock().totalSize();
    f.baseSuperblock("data_offset", used);
    // Every extent now lies before the data area (rule 20), but the layout itself holds.
    assertTrue(!rules(f.check()).contains(Rule.BASE_LAYOUT.number()), f.check().problems()::toString);
    f.baseSuperblock("data_offset", used + 1);
    assertTrue(rules(f.check()).contains(Rule.BASE_LAYOUT.number()), f.check().problems()::toString);
  }

  @Test void rule14BaseOfOneBlockHoldsNoInode() {
    // total_size 4096: just the base superblock, an empty inode table, an empty data area. Only the
    // root cannot be in range.
    Fixture f = Fixture.staticImage().baseSuperblock("inode_count", 0).baseSuperblock("total_size", Format.BLOCK_SIZE)
        .baseSuperblock("data_offset", Format.BLOCK_SIZE);
    exactly(f.check(), Rule.ROOT_IN_RANGE, f.base() + at(BASE_SUPERBLOCK, "root_inode"));
  }

  @Test void rule14BaseRegionSmallerThanItsSuperblock() {
    Fixture f = Fixture.staticImage().superblock("base_size", 100);
    exactly(f.check(), Rule.BASE_LAYOUT, f.base());
  }

  @Test void rule16RootIsTheLastInode() {
    Fixture f = Fixture.staticImage().baseSuperblock("root_inode", COUNT);
    Problem p = only(f, Rule.ROOT_IS_DIRECTORY, f.inode(COUNT) + at(INODE, "mode"));
    assertEquals("mode 0100600", p.found());
    assertNull(p.path(), "no tree was walked, so no path is known");
  }

  @Test void rule16BaseInodesStillCountForNextInodeId() {
    Fixture f = Fixture.branching().baseSuperblock("root_inode", FILE).superblock("next_inode_id", COUNT);
    assertEquals(Set.of(Rule.ROOT_IS_DIRECTORY.number(), Rule.NEXT_INODE_ID.number()), rules(f.check()));
  }

  // ---- extents (rules 21, 22) and symlinks (rules 32, 33)

  @Test void rule21OneByteOffABoundary() {
    // The leaf's 10 bytes one byte on, still alone in their block: only the alignment is wrong.
    Fixture f = Fixture.staticImage();
    f.inode(LEAF, "data_offset", f.layout.dataOffset(LEAF) + 1);
    exactly(f.check(), Rule.FILE_EXTENT_ALIGNED, f.inode(LEAF) + at(INODE, "data_offset"));
  }

  @Test void rule22SymlinkEndingWhereAFileBegins() {
    // "a.txt" and its NUL in the padding right before the file's first byte: touching, not overlapping.
    Fixture f = Fixture.staticImage();
    long rel = f.layout.dataOffset(FILE) - 6;
    f.inode(LINK, "data_offset", rel).putBytes(f.base() + rel, Node.name("a.txt\0"));
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule22SymlinkWhoseNulIsTheFilesFirstByte() {
    Fixture f = Fixture.staticImage();
    long rel = f.layout.dataOffset(FILE) - 5;
    f.inode(LINK, "data_offset", rel).putBytes(f.base() + rel, Node.name("a.txt\0"));
    Problem p = only(f, Rule.EXTENT_OVERLAP, f.inode(FILE) + at(INODE, "data_offset"));
    assertEquals("an extent disjoint from inode 4's [" + rel + ", " + (rel + 6) + ")", p.expected());
  }

  @Test void rule22SymlinkInsideAFileAfterOthers() {
    // The file is not the first extent: the sweep must carry the file's reach on to the symlink.
    Fixture f = Fixture.staticImage();
    long rel = f.layout.dataOffset(FILE) + 100;
    f.inode(LINK, "data_offset", rel).putBytes(f.base() + rel + 5, new byte[1]);
    only(f, Rule.EXTENT_OVERLAP, f.inode(LINK) + at(INODE, "data_offset"));
  }

  @Test void rule22NamesTheExtentReachingFurthest() {
    // The leaf ends exactly where the file ends; the symlink after both is reported against the
    // file, which reaches as far and came first.
    Fixture f = Fixture.staticImage();
    long file = f.layout.dataOffset(FILE);
    f.inode(LEAF, "data_offset", file + 4096).inode(LEAF, "size", 5000 - 4096);
    f.inode(LINK, "data_offset", file + 4500).putBytes(f.data(FILE) + 4505, new byte[1]);
    Report r = f.check();
    exactly(r, Rule.EXTENT_OVERLAP, f.inode(LEAF) + at(INODE, "data_offset"), f.inode(LINK) + at(INODE, "data_offset"));
    String fileSpan = "inode 2's [" + file + ", " + (file + 5000) + ")";
    r.problems().forEach(p -> assertEquals("an extent disjoint from " + fileSpan, p.expected()));
  }

  @Test void rule32MessageCountsTheNul() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.data(LINK) + 5, new byte[] {'x'});
    Problem p = only(f, Rule.SYMLINK_TERMINATED, f.data(LINK) + 5);
    assertEquals("a NUL within the first 6 bytes", p.expected());
  }

  @Test void rule33NulAsTheFirstByte() {
    Fixture f = Fixture.staticImage();
    f.putBytes(f.data(LINK), new byte[1]);
    only(f, Rule.SYMLINK_TARGET, f.data(LINK));
  }

  /** A tree whose symlink "l" has a target of {@code length} bytes. */
  private static Fixture linkOf(int length) {
    byte[] target = new byte[length];
    Arrays.fill(target, (byte) 't');
    return Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Symlink(Node.name("l"), 0777, 0, 0, target))), ImageSpec.staticImage());
  }

  /**
   * A target longer than the codec writes: symlink "l" (inode 3) given the data of file "big"
   * (inode 2, then emptied): {@code length} bytes of 't' and a NUL.
   */
  private static Fixture longLink(int length) {
    byte[] data = new byte[length + 1];
    Arrays.fill(data, 0, length, (byte) 't');
    Fixture f = Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("big"), 0644, 0, 0, data.length, Content.of(data)),
        new Node.Symlink(Node.name("l"), 0777, 0, 0, Node.name("x")))), ImageSpec.staticImage());
    return f.inode(2, "size", 0).inode(3, "data_offset", f.layout.dataOffset(2)).inode(3, "size", length);
  }

  @Test void rule33TargetOfPathMaxMinusOne() {
    Fixture f = linkOf(Format.BLOCK_SIZE - 1);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
    Fixture g = longLink(Format.BLOCK_SIZE);
    only(g, Rule.SYMLINK_TARGET, g.inode(3) + at(INODE, "size"));
  }

  @Test void rule33LongTargetsAreScannedPastTheFirstPage() {
    // A 5000-byte target (rule 33 for its length) with a NUL at byte 0, 4096 or 4500: each is
    // found where it is, also past the first page.
    for (int nul : new int[] {0, 4096, 4500}) {
      Fixture f = longLink(5000);
      f.putBytes(f.data(2) + nul, new byte[1]);
      exactly(f.check(), Rule.SYMLINK_TARGET, f.inode(3) + at(INODE, "size"), f.data(2) + nul);
    }
  }

  @Test void rule32ScanBudgetIsTheBaseSizeExactly() {
    // Three symlinks share the extent of "big": each target is 38911 bytes of 'x' ended by the
    // file's zero padding, so each scan past the first page costs 38912 - 4096 = 34816 bytes.
    // The base's used size is 69632 = 2 x 34816: "l1" and "l2" are scanned (the second spends the
    // budget exactly); "l3", the last 4097 bytes of that extent, would cost 2 bytes more, so it
    // counts as unterminated. The short link "a" spends nothing.
    int big = 38911;
    byte[] x = new byte[big];
    Arrays.fill(x, (byte) 'x');
    Fixture f = Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Symlink(Node.name("a"), 0777, 0, 0, Node.name("big")),
        new Node.File(Node.name("big"), 0644, 0, 0, big, Content.of(x)),
        new Node.Symlink(Node.name("l1"), 0777, 0, 0, Node.name("big")),
        new Node.Symlink(Node.name("l2"), 0777, 0, 0, Node.name("big")),
        new Node.Symlink(Node.name("l3"), 0777, 0, 0, Node.name("big")))), ImageSpec.staticImage());
    assertEquals(2L * (big + 1 - Format.BLOCK_SIZE), f.layout.baseSuperblock().totalSize());
    for (int ino = 4; ino <= 5; ino++) {
      f.inode(ino, "data_offset", f.layout.dataOffset(3)).inode(ino, "size", big);
    }
    f.inode(6, "data_offset", f.layout.dataOffset(3) + big - 4097).inode(6, "size", 4097);
    Report r = f.check();
    List<Long> unterminated = of(r, Rule.SYMLINK_TERMINATED).stream().map(Problem::inode).toList();
    assertEquals(List.of(6L), unterminated, r.problems()::toString);
    assertEquals(f.data(3) + big, of(r, Rule.SYMLINK_TERMINATED).get(0).offset());
  }

  @Test void rule22ManyExtentsAllDisjoint() {
    List<Node> files = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] b = ("contents of file " + i).getBytes();
      files.add(new Node.File(Node.name("f" + i), 0644, 0, 0, b.length, Content.of(b)));
    }
    Fixture f = Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, files), ImageSpec.staticImage());
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
    // The last file's extent moved onto the first one's: found among a hundred.
    f.inode(101, "data_offset", f.layout.dataOffset(2));
    exactly(f.check(), Rule.EXTENT_OVERLAP, f.inode(101) + at(INODE, "data_offset"));
  }

  // ---- directories and the tree (rules 25-31)

  @Test void rule25NameOfExactlyNameMax() {
    Fixture f = Fixture.staticImage();
    byte[] name = new byte[Format.NAME_MAX];
    Arrays.fill(name, (byte) 'q');
    f.dirent(ROOT, FILE, "name_len", name.length).putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name"), name);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule27PaddingRightAfterTheNameAndAtTheEndOfTheField() {
    for (long pad : new long[] {5, Format.NAME_MAX - 1}) {
      Fixture f = Fixture.staticImage();
      f.putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name") + pad, new byte[] {'x'});
      exactly(f.check(), Rule.DIRENT_PADDING, f.dirent(ROOT, FILE));
    }
    Fixture f = Fixture.staticImage();
    f.putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "reserved") + 5, new byte[] {1});
    exactly(f.check(), Rule.DIRENT_PADDING, f.dirent(ROOT, FILE));
  }

  @Test void rule28DuplicateNamesApart() {
    // The first and the third dirent of / both named "link": not neighbours in the directory.
    Fixture f = Fixture.staticImage();
    f.dirent(ROOT, FILE, "name_len", 4).putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name"), Node.name("link\0"));
    Problem p = only(f, Rule.DUPLICATE_NAME, f.dirent(ROOT, LINK));
    assertEquals("'link' again (first at offset " + f.dirent(ROOT, FILE) + ")", p.found());
  }

  @Test void rule28DirectoryOfTwoEqualNames() {
    // /sub gets a second dirent "leaf" for a new empty file, inode 7.
    Fixture f = Fixture.staticImage();
    long seventh = f.inode(COUNT + 1);
    long second = f.data(SUB) + Format.DIRENT_SIZE;
    f.baseSuperblock("inode_count", COUNT + 1).set(INODE, seventh, "ino", COUNT + 1)
        .set(INODE, seventh, "mode", Format.S_IFREG | 0644).inode(SUB, "size", 2 * Format.DIRENT_SIZE)
        .set(DIRENT, second, "ino", COUNT + 1).set(DIRENT, second, "mode", Format.S_IFREG | 0644)
        .set(DIRENT, second, "name_len", 4).putBytes(second + at(DIRENT, "name"), Node.name("leaf"));
    only(f, Rule.DUPLICATE_NAME, second);
  }

  @Test void rule30NamesTheRootOrTheInode() {
    Fixture f = Fixture.staticImage();
    f.emptyDirGets(ROOT, f.mode(ROOT), "up");
    assertEquals("'up' names the root", only(f, Rule.REACHED_ONCE, f.extraDirent()).found());
    Fixture g = Fixture.staticImage();
    g.emptyDirGets(FILE, g.mode(FILE), "again");
    assertEquals("'again' names inode 2, already reached", only(g, Rule.REACHED_ONCE, g.extraDirent()).found());
  }

  @Test void rule31OrphanHasNoPath() {
    Fixture f = Fixture.staticImage();
    long seventh = f.inode(COUNT + 1);
    f.baseSuperblock("inode_count", COUNT + 1).set(INODE, seventh, "ino", COUNT + 1)
        .set(INODE, seventh, "mode", Format.S_IFREG | 0644);
    Problem p = only(f, Rule.ORPHAN, seventh);
    assertEquals(COUNT + 1, p.inode());
    assertNull(p.path());
    assertEquals("rule 31 error: inode at offset " + seventh + " (inode 7): expected an inode reachable from the root,"
        + " found no dirent names it", p.toString());
  }

  @Test void rule29DeepPathKeepsItsLast32Components() {
    Node.Directory d = new Node.Directory(Node.name("d39"), 0755, 0, 0,
        List.of(new Node.File(Node.name("f"), 0644, 0, 0, 0, Content.of(new byte[0]))));
    for (int i = 38; i >= 0; i--) {
      d = new Node.Directory(Node.name("d" + i), 0755, 0, 0, List.of(d));
    }
    Fixture f = Fixture.of(new Node.Directory(new byte[0], 0755, 0, 0, List.of(d)), ImageSpec.staticImage());
    int deepest = 41;   // pre-order: / is 1, d0 is 2, ..., d39 is 41, f is 42
    f.dirent(deepest, deepest + 1, "mode", Format.S_IFREG | 0600);
    Problem p = only(f, Rule.DIRENT_MODE, f.dirent(deepest, deepest + 1) + at(DIRENT, "mode"));
    StringBuilder path = new StringBuilder("...");
    for (int i = 8; i <= 39; i++) {
      path.append("/d").append(i);
    }
    assertEquals(path.toString(), p.path());
  }

  // ---- branch table (rules 38-43)

  @Test void rule39SameNameOtherId() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 2, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    assertEquals("slot 1 (id 2, 'main') like slot 0", only(f.check(), Rule.BRANCH_DUPLICATE, f.record(1)).found());
  }

  @Test void rule39SameIdOtherName() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 1, 0, ACTIVE, "other", COUNT + 1, NO_LOG);
    Report r = f.check();
    exactly(r, Rule.BRANCH_DUPLICATE, f.record(1));
    assertEquals("slot 1 (id 1, 'other') like slot 0", r.problems().get(0).found());
    assertTrue(r.problems().get(0).toString().startsWith("rule 39 warning: branch record at offset "));
    assertEquals(1, r.total());
  }

  @Test void rule40NamesTheRefcountItExpects() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG).branchField(0, "refcount", 3);
    Problem p = only(f.check(), Rule.BRANCH_REFCOUNT, f.record(0) + at(BRANCH_RECORD, "refcount"));
    assertEquals("refcount 1 (1 + active children)", p.expected());
    Fixture g = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 2, 1, ACTIVE, "feature", COUNT + 1, NO_LOG);
    Problem q = only(g.check(), Rule.BRANCH_REFCOUNT, g.record(0) + at(BRANCH_RECORD, "refcount"));
    assertEquals("refcount 2 (1 + active children)", q.expected());
  }

  @Test void rule38AbortedParentIsStillAParent() {
    Fixture f = Fixture.branching().branch(0, 1, 0, Format.BRANCH_ABORTED, "old", COUNT + 1, NO_LOG)
        .branch(1, 2, 1, ACTIVE, "child", COUNT + 1, NO_LOG);
    assertEquals(0, f.check().total(), () -> f.check().problems().toString());
  }

  @Test void rule42CountsAbortedIds() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branch(1, 5, 1, Format.BRANCH_ABORTED, "gone", COUNT + 1, NO_LOG).superblock("next_branch_id", 5);
    only(f.check(), Rule.NEXT_BRANCH_ID, at(SUPERBLOCK, "next_branch_id"));
  }

  /** A free record's fields mean nothing (no parent, no duplicate id): only its non-zero bytes are reported. */
  @Test void freeRecordsAreNotRead() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG)
        .branchField(2, "branch_id", 99).branchField(2, "parent_id", 77);
    only(f.check(), Rule.FREE_RECORD, f.record(2));
  }

  @Test void rule43CountsTheInodesOfSlotZerosLog() {
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("n")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log);
    Problem p = only(f.check(), Rule.NEXT_LOCAL_INO, f.record(0) + at(BRANCH_RECORD, "next_local_ino"));
    assertEquals("more than every inode its view uses (largest 7)", p.expected());
  }

  @Test void rule43NextLocalInoEqualToTheLargestInUse() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT, NO_LOG);
    exactly(f.check(), Rule.NEXT_LOCAL_INO, f.record(0) + at(BRANCH_RECORD, "next_local_ino"));
  }

  // ---- delta logs (rules 44-48)

  private static Fixture mainWith(DeltaLogBuilder log) {
    return Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log.toByteArray());
  }

  @Test void rule46HeaderEndingOnTheCapacity() {
    // A truncate, then a 24-byte truncate header that ends exactly on the log's capacity: the
    // framing holds, the payload is missing.
    byte[] first = new DeltaLogBuilder().truncate(FILE, 10).toByteArray();
    byte[] header = new DeltaLogBuilder().truncate(FILE, 10).toByteArray();
    int hdr = (int) DELTA_HEADER.byteSize();
    header[(int) at(DELTA_HEADER, "total_size")] = (byte) hdr;
    byte[] log = Arrays.copyOf(first, first.length + hdr);
    System.arraycopy(header, 0, log, first.length, hdr);
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, log)
        .branchField(0, "delta_log_capacity", log.length);
    only(f, Rule.ENTRY_PAYLOAD, f.deltaRegion() + first.length);
  }

  @Test void rule9CountsCreatesBeforeAnUndecodableEntry() {
    DeltaLogBuilder b = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("n"));
    int bad = b.size();
    byte[] log = b.truncate(FILE, 1).toByteArray();
    log[bad] = 99;
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log);
    assertEquals(Set.of(Rule.NEXT_INODE_ID.number(), Rule.ENTRY_TYPE.number()), rules(f.check()));
  }

  @Test void rule47SymlinkTargets() {
    byte[] longest = new byte[Format.BLOCK_SIZE - 1];
    Arrays.fill(longest, (byte) 't');
    Report ok = mainWith(new DeltaLogBuilder().symlink(ROOT, COUNT + 1, Node.name("l"), longest)).check();
    assertEquals(0, ok.total(), ok.problems()::toString);
    for (byte[] target : List.of(new byte[0], Arrays.copyOf(longest, Format.BLOCK_SIZE), new byte[] {'a', 0, 'b'},
        new byte[] {0, 'b'})) {
      Fixture f = mainWith(new DeltaLogBuilder().symlink(ROOT, COUNT + 1, Node.name("l"), target));
      only(f, Rule.ENTRY_NAME, f.deltaRegion());
    }
  }

  @Test void rule47NamesOfDeletesAndRenames() {
    List<DeltaLogBuilder> logs = List.of(
        new DeltaLogBuilder().delete(ROOT, FILE, Node.name("a/b")),
        new DeltaLogBuilder().rename(ROOT, ROOT, FILE, Node.name(".."), Node.name("b")),
        new DeltaLogBuilder().rename(ROOT, ROOT, FILE, Node.name("a.txt"), new byte[0]));
    for (DeltaLogBuilder log : logs) {
      Fixture f = mainWith(log);
      only(f, Rule.ENTRY_NAME, f.deltaRegion());
    }
  }

  @Test void rule48WriteEndingOnTheLargestFileSize() {
    Report ok = mainWith(new DeltaLogBuilder().write(FILE, Long.MAX_VALUE - 1, new byte[] {1})).check();
    assertEquals(0, ok.total(), ok.problems()::toString);
    for (long offset : new long[] {Long.MAX_VALUE, -1L}) {
      Fixture f = mainWith(new DeltaLogBuilder().write(FILE, offset, new byte[] {1}));
      only(f, Rule.ENTRY_SIZE, f.deltaRegion());
    }
  }

  @Test void rule48SetattrSizeOnlyWhenItSetsTheSize() {
    Fixture f = mainWith(new DeltaLogBuilder().setattr(FILE, 0644, 0, 0, Format.ATTR_SIZE, -1L));
    only(f, Rule.ENTRY_SIZE, f.deltaRegion());
    for (DeltaLogBuilder log : List.of(new DeltaLogBuilder().setattr(FILE, 0644, 0, 0, 0, -1L),
        new DeltaLogBuilder().setattr(FILE, 0644, 0, 0, Format.ATTR_SIZE, 0))) {
      Report r = mainWith(log).check();
      assertEquals(0, r.total(), r.problems()::toString);
    }
  }

  // ---- replay (rules 49-53)

  @Test void replayOfAnActiveBranchWithOnlyACommittedChild() {
    Fixture f = mainWith(new DeltaLogBuilder().truncate(99, 0))
        .branch(1, 2, 1, Format.BRANCH_COMMITTED, "done", COUNT + 2, NO_LOG);
    Problem p = only(f, Rule.ENTRY_TARGET, f.deltaRegion());
    assertEquals("a target inode that exists in the branch's view (a regular file for writes)", p.expected());
  }

  @Test void noReplayOverAnOverlappingChildLog() {
    // The child's log is main's log again (rule 37): replaying it would create inode 7 twice.
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("n")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, log).branch(1, 2, 1, ACTIVE, "child", COUNT + 2, NO_LOG)
        .branchField(0, "refcount", 2).branchField(1, "delta_log_offset", Fixture.branching().deltaRegion())
        .branchField(1, "delta_log_size", log.length);
    only(f, Rule.BRANCH_LOG_OVERLAP, f.record(1) + at(BRANCH_RECORD, "delta_log_offset"));
  }

  @Test void noReplayThroughAParentLogOutsideTheRegion() {
    // main's log lies in the base's padding (rule 36), where it would create "a.txt" again.
    byte[] log = new DeltaLogBuilder().create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("a.txt")).toByteArray();
    Fixture f = Fixture.branching().superblock("next_inode_id", COUNT + 2)
        .branch(0, 1, 0, ACTIVE, "main", COUNT + 2, NO_LOG).branch(1, 2, 1, ACTIVE, "child", COUNT + 2, NO_LOG)
        .branchField(0, "refcount", 2);
    long padding = f.data(ROOT) + 4 * Format.DIRENT_SIZE;
    f.putBytes(padding, log).branchField(0, "delta_log_offset", padding).branchField(0, "delta_log_size", log.length)
        .branchField(0, "delta_log_capacity", log.length);
    only(f, Rule.BRANCH_LOG_INSIDE, f.record(0) + at(BRANCH_RECORD, "delta_log_offset"));
  }

  @Test void noReplayOverABrokenBase() {
    Fixture f = mainWith(new DeltaLogBuilder().truncate(99, 0));
    f.dirent(ROOT, FILE, "mode", Format.S_IFREG | 0600);
    only(f, Rule.DIRENT_MODE, f.dirent(ROOT, FILE) + at(DIRENT, "mode"));
  }

  // ---- the report itself

  @Test void validatorOnAnOpenedImage() {
    Fixture f = Fixture.staticImage().inode(LEAF, "ino", 9);
    Report r = Validator.check(Image.open(new ImageBytes(f.s)), Options.of(f.length()));
    exactly(r, Rule.INODE_NUMBER, f.inode(LEAF) + at(INODE, "ino"));
  }

  @Test void emptyImageAndNoProblemsKept() {
    exactly(Validator.check(ImageBytes.of(new byte[0]), Options.of(0)), Rule.TOTAL_SIZE, 0);
    Fixture f = Fixture.staticImage().superblock("flags", 1).superblock("block_size", 1);
    Report none = f.check(new Options(f.length(), false, 0));
    assertEquals(List.of(), none.problems());
    assertEquals(2, none.errors());
    Report one = f.check(new Options(f.length(), false, 1));
    assertEquals(1, one.problems().size());
    assertEquals(2, one.total());
  }

  @Test void totalCountsErrorsAndWarnings() {
    Fixture f = Fixture.branching().branch(0, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG).superblock("flags", 1)
        .superblock("active_branches", 3);
    Report r = f.check();
    assertEquals(1, r.errors());
    assertEquals(1, r.warnings());
    assertEquals(2, r.total());
  }

  @Test void kernelModeKeepsTheKernelsRules() {
    Fixture f = Fixture.staticImage().emptyDirGets(COUNT + 1, Format.S_IFREG | 0644, "ghost");
    f.putBytes(f.dirent(ROOT, FILE) + at(DIRENT, "name"), Node.name("a/txt"));
    assertEquals(Set.of(24, 26), rules(f.check()));
    Report kernel = f.check(new Options(f.length(), true, 100));
    exactly(kernel, Rule.DIRENT_INO, f.extraDirent());
    assertTrue(kernel.problems().get(0).toString().startsWith("rule 24 error: dirent at offset "));
  }

  @Test void everyRuleHasItsOwnTitle() {
    // The titles name the rules in --json reports.
    Set<String> titles = new TreeSet<>();
    for (Rule r : Rule.values()) {
      assertTrue(!r.title().isBlank() && titles.add(r.title()), r::toString);
    }
    assertEquals("file extent alignment", Rule.FILE_EXTENT_ALIGNED.title());
  }

  @Test void problemLines() {
    assertEquals("rule 26 error: dirent at offset 5 (inode 3 /x): expected e, found f",
        new Problem(Rule.DIRENT_NAME, "dirent", 5, 3, "/x", "e", "f").toString());
    assertEquals("rule 26 error: dirent at offset 5 (/x): expected e, found f",
        new Problem(Rule.DIRENT_NAME, "dirent", 5, 0, "/x", "e", "f").toString());
    assertEquals("rule 43 warning: branch record at offset 5: expected e, found f",
        new Problem(Rule.NEXT_LOCAL_INO, "branch record", 5, 0, null, "e", "f").toString());
  }

  @Test void rule36LogEndingOnTheRegionEnd() {
    // The last slot's log ends on the delta region's last byte: inside. Only the room that every
    // mount carves after delta_alloc_offset is missing (rule 8).
    Fixture f = Fixture.branching().branch(3, 1, 0, ACTIVE, "main", COUNT + 1, NO_LOG);
    only(f.check(), Rule.DELTA_ALLOC_OFFSET, at(SUPERBLOCK, "delta_alloc_offset"));
  }
}
