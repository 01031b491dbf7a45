package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Branch views of images the real v3 kernel wrote equal what the kernel listed while mounted,
 * corrected only where the kernel itself is wrong (each correction says why).
 */
class ReplayKernelImagesTest {
  private final List<ReplayProblem> problems = new ArrayList<>();

  @Test
  void baseInput() throws Exception {
    Image img = open("base-input");
    List<String> expected = baseTruth(KernelImages.views("base-input").get("main-after-mount"));
    assertEquals(expected, sorted(Replay.base(img, problems::add)));
    assertEquals(List.of(), problems);
  }

  @Test
  void childActive() throws Exception {
    Image img = open("child-active");
    BranchTable t = img.branchTable();
    assertEquals(baseView(), sorted(Replay.branch(img, t.byName("main").orElseThrow(), problems::add)));
    List<String> feature = featureTruth(KernelImages.views("child-active").get("feature-cached"));
    assertEquals(feature, sorted(Replay.branch(img, t.byName("feature").orElseThrow(), problems::add)));
    assertEquals(List.of(), problems);
  }

  @Test
  void childCommit() throws Exception {
    Image img = open("child-commit");
    // After the commit the kernel re-reads inodes through its delta index (size = end of the last
    // write, mode 0 after a truncate): its main listing is wrong, while feature's, taken just
    // before the commit, shows what main's log (feature's log appended) means.
    List<String> expected = featureTruth(KernelImages.views("child-commit").get("feature-before-commit-cached"));
    BranchRecord main = img.branchTable().byName("main").orElseThrow();
    assertEquals(expected, sorted(Replay.branch(img, main, problems::add)));
    BranchRecord committed = img.branchTable().records().get(1);
    assertEquals(Format.BRANCH_COMMITTED, committed.state());
    assertEquals(expected, sorted(Replay.branch(img, committed, problems::add)));
    assertEquals(List.of(), problems);
  }

  @Test
  void remountAfterUmount() throws Exception {
    Image img = open("remount-after-umount");
    List<String> base = baseTruth(KernelImages.views("remount-after-umount").get("remount-after-umount-cached"));
    BranchRecord main = img.branchTable().byName("main").orElseThrow();
    assertEquals(2, main.slot(), "-b main means the newest main");
    assertEquals(base, sorted(Replay.branch(img, main, problems::add)));
    assertEquals(base, sorted(Replay.branch(img, img.branchTable().records().get(0), problems::add)));
    // The aborted feature (parent id 1: the main in slot 0, the nearest earlier slot) keeps its work.
    BranchRecord aborted = img.branchTable().records().get(1);
    assertEquals(Format.BRANCH_ABORTED, aborted.state());
    assertEquals(featureTruth(KernelImages.views("child-active").get("feature-cached")),
        sorted(Replay.branch(img, aborted, problems::add)));
    assertEquals(List.of(), problems);
  }

  private static Image open(String name) throws Exception {
    return Image.open(ImageBytes.of(KernelImages.image(name)));
  }

  private static List<String> sorted(BranchView v) {
    List<String> out = new ArrayList<>(Listing.of(v));
    out.sort(null);
    return out;
  }

  private static List<String> baseView() throws Exception {
    return baseTruth(KernelImages.views("base-input").get("main-after-mount"));
  }

  /** The kernel shows uid/gid 0 for every base inode; the base holds /data and /data/small as 1000:1000. */
  private static List<String> baseTruth(List<String> kernel) {
    List<String> out = new ArrayList<>();
    for (String line : kernel) {
      String l = Listing.fromKernel(line);
      if (l.endsWith(" /data") || l.contains(" /data/small ")) {
        l = l.replaceFirst(" 0 0 ", " 1000 1000 ");
      }
      out.add(l);
    }
    out.sort(null);
    return out;
  }

  /**
   * feature's truth from the kernel's listing: base owners as in the base; the rename moved
   * /data/small to /newdir/small-renamed (kernel readdir keeps the old name); and the 8-byte write
   * of 'X' at offset 104 of /data/big (bytes i % 256) is in its content (the kernel kept showing
   * the base bytes). The O_APPEND write to /etc/hostname, logged at offset 0, is already what the
   * kernel showed ("appended\n" over the first 9 of the 11 bytes).
   */
  private static List<String> featureTruth(List<String> kernel) throws Exception {
    byte[] big = new byte[10000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    String baseBig = hex(big);
    Arrays.fill(big, 104, 112, (byte) 'X');
    List<String> out = new ArrayList<>();
    for (String l : baseTruth(kernel)) {
      if (l.contains(" /data/small ")) {
        l = l.replace(" /data/small ", " /newdir/small-renamed ");
      }
      if (l.contains(" /data/big ")) {
        assertEquals(baseBig, l.substring(l.indexOf("sha256=") + 7));
        l = l.replace(baseBig, hex(big));
      }
      out.add(l);
    }
    out.sort(null);
    return out;
  }

  private static String hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
