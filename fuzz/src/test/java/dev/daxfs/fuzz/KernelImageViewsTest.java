package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The model's replay of the real kernel's logs against what the kernel itself listed right after
 * the operations (the "cached" view of each .expect.txt). The kernel's cached view is the log's
 * meaning except for its own rename bug: readdir keeps the old name, so /data/small is expected at
 * /newdir/small-renamed instead. The kernel also shows every base inode as owned by root, so owners
 * are compared only where the log sets them. One more difference: its cached listing of /data/big
 * still shows the base bytes, although the log holds the 8-byte write at offset 104 (the dump's own
 * listing of the operations says it was made); the log's meaning is the pattern with that write.
 */
class KernelImageViewsTest {

  /** path -> "perm uid gid size sha256" for the regular files of a view in an .expect.txt. */
  private static Map<String, String> cachedFiles(String image, String view) throws IOException {
    Map<String, String> out = new TreeMap<>();
    boolean in = false;
    for (String line : Files.readAllLines(Images.shared().resolve("kernel-images/" + image + ".expect.txt"))) {
      if (line.startsWith("[")) {
        in = line.equals("[view " + view + "]");
        continue;
      }
      if (in && line.startsWith("-")) {
        String[] f = line.split(" ");
        String path = f[6].equals("/data/small") ? "/newdir/small-renamed" : f[6];
        String sha = path.equals("/data/big") ? bigAfterWrite() : f[7].substring("sha256=".length());
        out.put(path, perm(f[0]) + " " + f[4] + " " + sha);
      }
    }
    return out;
  }

  /** /data/big is bytes 0..255 repeated (10000 of them); the logged write puts 8 'X' at offset 104. */
  private static String bigAfterWrite() {
    byte[] b = new byte[10000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    java.util.Arrays.fill(b, 104, 112, (byte) 'X');
    return TreeSnapshot.sha(b);
  }

  private static int perm(String ls) {
    int p = 0;
    for (int i = 1; i < 10; i++) {
      p = p << 1 | (ls.charAt(i) == '-' ? 0 : 1);
    }
    return p;
  }

  private static Map<String, String> files(Snapshot s) {
    Map<String, String> out = new TreeMap<>();
    s.paths().forEach((path, seen) -> {
      if ((seen.mode() & 0170000) == 0100000) {
        out.put(path, (seen.mode() & 0777) + " " + seen.size() + " " + seen.sha256());
      }
    });
    return out;
  }

  private static KernelModel.Report examine(String name) {
    byte[] image = Images.kernelImage(name);
    Assumptions.assumeTrue(image != null, () -> {
      System.out.println("SKIPPED: the shared kernel-images folder is not beside the repository");
      return "no kernel images";
    });
    KernelModel.Report r = KernelModel.examine(image);
    assertTrue(r.clean(), r::toString);
    return r;
  }

  @Test
  void activeChildReplaysToWhatTheKernelListed() throws IOException {
    KernelModel.Report r = examine("child-active");
    Snapshot feature = r.views().get("branch 'feature' (slot 1)");
    assertNotNull(feature, r.views().keySet()::toString);
    Map<String, String> expected = cachedFiles("child-active", "feature-cached");
    assertFalse(expected.isEmpty());
    assertEquals(expected, files(feature));
    assertEquals(1234, feature.paths().get("/data/new.txt").uid());
    assertEquals(5678, feature.paths().get("/data/new.txt").gid());
    assertEquals("../data/big", feature.paths().get("/newdir/biglink").target());
    assertFalse(feature.paths().containsKey("/etc/motd"));
  }

  @Test
  void committedChildIsPartOfMain() throws IOException {
    KernelModel.Report r = examine("child-commit");
    Snapshot main = r.views().get("branch 'main' (slot 0)");
    assertNotNull(main, r.views().keySet()::toString);
    assertEquals(cachedFiles("child-active", "feature-cached"), files(main));
  }

  @Test
  void abortedChildHasNoViewAndBothMainsShowTheBase() {
    KernelModel.Report r = examine("remount-after-umount");
    Snapshot base = r.views().get("mount");
    assertEquals(TreeMapOf(base), TreeMapOf(r.views().get("branch 'main' (slot 0)")));
    assertEquals(TreeMapOf(base), TreeMapOf(r.views().get("branch 'main' (slot 2)")));
    assertFalse(r.views().keySet().stream().anyMatch(k -> k.contains("slot 1")));
  }

  private static Map<String, String> TreeMapOf(Snapshot s) {
    assertNotNull(s);
    return TreeSnapshot.of(s);
  }
}
