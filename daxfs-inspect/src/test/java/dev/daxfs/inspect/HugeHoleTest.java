package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.KernelBranches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fsck-valid image whose logs make /hello.txt 2^40 bytes long: main truncates it up (a 1 TiB
 * hole), child "work" then writes one zero byte at its last offset, child "other" a one. Every command costs its
 * extents, not the file's length (reading 1 TiB of zeros would take half an hour), flatten and
 * digest included.
 */
@Timeout(60)
class HugeHoleTest {
  private static final long TIB = 1L << 40;

  @TempDir Path dir;
  private Path image;

  @BeforeEach
  void image() throws Exception {
    KernelBranches k = new KernelBranches(Fixture.tree(), 1 << 20);
    int main = k.mount();
    k.log(main).truncate(4, TIB);
    int work = k.child("work", main);
    k.log(work).write(4, TIB - 1, new byte[1]);
    int other = k.child("other", main);
    k.log(other).write(4, TIB - 1, new byte[] {1});
    image = Files.write(dir.resolve("huge.img"), k.bytes());
  }

  @Test void catJsonGivesTheSizeAndSaysWhyThereIsNoHash() {
    Run r = Run.ok("cat", "--json", "-f", image.toString(), "-b", "work", "/hello.txt");
    assertTrue(r.out().startsWith("{\"path\":\"/hello.txt\",\"size\":1099511627776,\"sha256\":null,"
        + "\"sha256_omitted\":\"1099511627769 bytes of zeros the image does not store (more than 1073741824)\""),
        r.out());
    // A file with a small hole is still hashed.
    Run base = Run.ok("cat", "--json", "-f", image.toString(), "/bin/tool");
    assertTrue(base.out().contains("\"sha256\":\"5e1f813bdeab78de3f40b590d1be53a1d431870c1ea8793eb996a05927558fc2\""), base.out());
  }

  @Test void diffComparesHolesWithoutReadingThem() {
    // main's hole and work's hole ending in a written zero byte are the same content.
    Run same = Run.ok("diff", "-f", image.toString(), "-b", "main", "-b", "work");
    assertEquals("--- main\n+++ work\n", same.out());
    Run differs = Run.differs("diff", "-f", image.toString(), "-b", "work", "-b", "other");
    assertEquals("--- work\n+++ other\nM /hello.txt (content)\n", differs.out());
    Run grown = Run.differs("diff", "-f", image.toString(), "-b", "work");
    assertEquals("--- base\n+++ work\nM /hello.txt (size 6 -> 1099511627776)\n", grown.out());
  }

  /**
   * flatten writes the 1 TiB file as a hole, so the new image is sparse, and its digest (the
   * writer's and the one read back by digest, which skips the holes) comes in seconds; FORMAT.md's
   * script, which skips holes too, computes the same value. main's hole and work's hole ending in
   * a written zero flatten to the same image; other's one byte makes another.
   */
  @Test void flattenAndDigestCostTheExtents() throws Exception {
    java.util.Map<String, String> digests = new java.util.HashMap<>();
    for (String branch : List.of("main", "work", "other")) {
      Path flat = dir.resolve(branch + ".img");
      Run.ok("flatten", "-f", image.toString(), "-b", branch, "-o", flat.toString());
      assertTrue(Files.size(flat) > TIB, branch);
      assertTrue(allocated(flat) < (4L << 20), branch + ": " + allocated(flat) + " bytes allocated");
      String out = Run.ok("digest", "-f", flat.toString()).out();
      assertTrue(out.matches("[0-9a-f]{64}  " + java.util.regex.Pattern.quote(flat.toString()) + "\n"), out);
      digests.put(branch, out.substring(0, 64));
      String python = formatMdScript(flat);
      if (python != null) {
        assertEquals(digests.get(branch), python, branch);
      }
    }
    assertEquals(digests.get("main"), digests.get("work"));
    assertNotEquals(digests.get("work"), digests.get("other"));
  }

  /** Bytes the file system holds for {@code file} (stat's blocks of 512 bytes). */
  private static long allocated(Path file) throws Exception {
    Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor());
    return Long.parseLong(out) * 512;
  }

  /** What format-spec/FORMAT.md's digest script prints for {@code image}, or null without python3 (said). */
  private String formatMdScript(Path image) throws Exception {
    String spec = Files.readString(Path.of("..", "format-spec", "FORMAT.md"));
    int start = spec.indexOf("```python\n", spec.indexOf("## Image digest")) + "```python\n".length();
    Path script = Files.writeString(dir.resolve("digest.py"), spec.substring(start, spec.indexOf("```\n", start)));
    Process p;
    try {
      p = new ProcessBuilder("python3", script.toString(), image.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      System.err.println("SKIPPED: FORMAT.md's script against the 1 TiB image: python3 is not installed");
      return null;
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test void statListsTheRuns() {
    Run r = Run.ok("stat", "-f", image.toString(), "-b", "work", "/hello.txt");
    assertTrue(r.out().contains("1099511627776"), r.out());
  }
}
