package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Logs without a POSIX meaning: each problem is reported with its entry, and replay goes on. */
class ReplayProblemsTest {
  private final List<ReplayProblem> problems = new ArrayList<>();

  private static byte[] n(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  /** Base: / (1), /d (2), /d/f (3, "abc"). */
  private static Node.Directory base() {
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(new Node.Directory(n("d"), 0755, 0, 0,
        List.of(new Node.File(n("f"), 0644, 0, 0, 3, Content.of(n("abc")))))));
  }

  private BranchView replay(java.util.function.Consumer<DeltaLogBuilder> log) throws Exception {
    KernelBranches k = new KernelBranches(base(), 1 << 20);
    int main = k.mount();
    log.accept(k.log(main));
    Image img = Image.open(ImageBytes.of(k.bytes()));
    return Replay.branch(img, img.branchTable().byName("main").orElseThrow(), problems::add);
  }

  private List<ReplayProblem.Kind> kinds() {
    return problems.stream().map(ReplayProblem::kind).toList();
  }

  @Test
  void mainNumbersCollideWithTheBaseButOldNamesKeepTheirFiles() throws Exception {
    // The v3 kernel's main hands out inode 2 first: base /d is inode 2.
    BranchView v = replay(l -> l.create(1, 2, Format.S_IFREG | 0600, n("new")).write(2, 0, n("xy")));
    assertEquals(List.of(ReplayProblem.Kind.INODE_IS_BASE), kinds());
    assertEquals(2, v.lookup("/new").orElseThrow().size());
    assertTrue(v.lookup("/d").orElseThrow().isDirectory());
    assertEquals(3, v.lookup("/d/f").orElseThrow().size());
    ReplayProblem p = problems.get(0);
    assertEquals(Format.DELTA_CREATE, p.type());
    assertEquals(2, p.ino());
    assertEquals(0, p.slot());
  }

  @Test
  void entriesWithoutMeaningAreSkippedAndReported() throws Exception {
    BranchView v = replay(l -> l
        .create(99, 10, Format.S_IFREG | 0644, n("x"))     // no such parent
        .create(3, 11, Format.S_IFREG | 0644, n("x"))      // parent is a file
        .create(1, 12, Format.S_IFREG | 0644, n("a/b"))    // bad name
        .create(1, 0, Format.S_IFREG | 0644, n("zero"))     // inode 0
        .create(1, 30, Format.S_IFREG | 0644, n("once"))
        .create(1, 30, Format.S_IFREG | 0644, n("twice"))  // inode handed out before
        .delete(1, 20, n("nothing"))                       // no such name
        .write(77, 0, n("z"))                              // no such inode
        .write(2, 0, n("z"))                               // a directory
        .rename(1, 2, 2, n("d"), n("inside"))              // a directory into itself
        .mkdir(1, 13, 0755, n("d"))                        // over an existing name
        .truncate(3, -5));                                 // size past 2^63-1
    assertEquals(List.of(ReplayProblem.Kind.PARENT_NOT_FOUND, ReplayProblem.Kind.PARENT_NOT_DIRECTORY,
        ReplayProblem.Kind.BAD_NAME, ReplayProblem.Kind.INODE_ZERO, ReplayProblem.Kind.INODE_REUSED,
        ReplayProblem.Kind.NAME_NOT_FOUND, ReplayProblem.Kind.INODE_NOT_FOUND,
        ReplayProblem.Kind.NOT_A_FILE, ReplayProblem.Kind.BAD_RENAME, ReplayProblem.Kind.NAME_EXISTS,
        ReplayProblem.Kind.SIZE_OVERFLOW), kinds());
    assertTrue(v.lookup("/d").orElseThrow().isDirectory());
    assertEquals(13, v.lookup("/d").orElseThrow().ino());
    assertTrue(v.lookup("/d/f").isEmpty());
  }

  @Test
  void anUndecodableTailStopsThatLogOnly() throws Exception {
    byte[] junk = new byte[30];
    junk[0] = 42;   // unknown type
    junk[4] = 30;   // total_size
    BranchView v = replay(l -> l.create(1, 10, Format.S_IFREG | 0644, n("kept")).raw(junk)
        .create(1, 11, Format.S_IFREG | 0644, n("lost")));
    assertEquals(List.of(ReplayProblem.Kind.UNDECODABLE), kinds());
    assertTrue(v.lookup("/kept").isPresent());
    assertTrue(v.lookup("/lost").isEmpty());
  }

  @Test
  void renameReplacesAFileAndDeleteRemovesANonEmptyDirectoryWithAWarning() throws Exception {
    BranchView v = replay(l -> l
        .create(1, 10, Format.S_IFREG | 0644, n("g"))
        .write(10, 1, n("Q"))
        .rename(1, 2, 10, n("g"), n("f"))
        .delete(1, 2, n("d")));
    assertEquals(List.of(ReplayProblem.Kind.DIRECTORY_NOT_EMPTY), kinds());
    assertTrue(v.lookup("/d").isEmpty());
    assertEquals(List.of(), v.entries(v.root()));
  }

  @Test
  void baseDirentsWithoutMeaningAreLeftOutAndReported() throws Exception {
    KernelBranches k = new KernelBranches(base(), 1 << 20);
    byte[] bytes = k.bytes();
    Image img = Image.open(ImageBytes.of(bytes));
    Dirent f = img.base().dirents(img.base().inode(2)).get(0);
    // /d/f's dirent: inode 99 (there are 3), then a name with '/' in it.
    byte[] bad = bytes.clone();
    bad[(int) f.at()] = 99;
    BranchView v = Replay.base(Image.open(ImageBytes.of(bad)), problems::add);
    assertTrue(v.lookup("/d").isPresent());
    assertEquals(List.of(), v.entries(v.lookup("/d").orElseThrow()));
    assertEquals(List.of(ReplayProblem.Kind.BASE_ENTRY_UNREADABLE), kinds());
    assertEquals(f.at(), problems.get(0).at());
    problems.clear();
    bad = bytes.clone();
    bad[(int) (f.at() + Structs.offset(Structs.DIRENT, "name"))] = '/';
    v = Replay.base(Image.open(ImageBytes.of(bad)), problems::add);
    assertEquals(List.of(), v.entries(v.lookup("/d").orElseThrow()));
    assertEquals(List.of(ReplayProblem.Kind.BASE_ENTRY_UNREADABLE), kinds());
  }

  @Test
  void aParentIdInNoEarlierSlotStartsTheViewFromTheBase() throws Exception {
    KernelBranches k = new KernelBranches(base(), 1 << 20);
    int main = k.mount();
    int child = k.child("c", main);
    k.log(main).create(1, 10, Format.S_IFREG | 0644, n("m"));
    k.log(child).create(1, 11, Format.S_IFREG | 0644, n("c"));
    byte[] bytes = k.bytes();
    Image img = Image.open(ImageBytes.of(bytes));
    BranchRecord c = img.branchTable().records().get(child);
    // Point the child at a parent id nobody has.
    BranchRecord orphan = new BranchRecord(c.slot(), c.at(), c.branchId(), 77, c.logOffset(), c.logSize(),
        c.logCapacity(), c.state(), c.refcount(), c.nextLocalIno(), c.nameField());
    System.arraycopy(orphan.encode(), 0, bytes, (int) c.at(), Format.BRANCH_RECORD_SIZE);
    img = Image.open(ImageBytes.of(bytes));
    BranchView v = Replay.branch(img, img.branchTable().byName("c").orElseThrow(), problems::add);
    assertEquals(List.of(ReplayProblem.Kind.PARENT_MISSING), kinds());
    assertEquals(c.at(), problems.get(0).at());
    assertTrue(v.lookup("/c").isPresent());
    assertTrue(v.lookup("/m").isEmpty());
  }
}
