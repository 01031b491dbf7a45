package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageFile;
import dev.daxfs.format.Superblock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {
  @TempDir Path tmp;
  Path src;

  @BeforeEach
  void tree() throws IOException {
    src = Trees.sample(tmp.resolve("src"));
  }

  @Test
  void writableImageHasABranchTableAndTheDeltaRegionAsked() throws IOException {
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("a"), "-w").code());
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("b"), "-w", "-D", "1M").code());
    Superblock a = superblock(tmp.resolve("a"));
    Superblock b = superblock(tmp.resolve("b"));
    assertEquals(256, a.branchTableEntries());
    assertEquals(64L << 20, a.deltaRegionSize());
    assertEquals(1L << 20, b.deltaRegionSize());
    assertEquals(b.deltaRegionOffset() + (1L << 20), Files.size(tmp.resolve("b")));
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("b")));
  }

  @Test
  void fixedSizeIsExactAndATreeThatDoesNotFitIsRefused() throws IOException {
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "-s", "1M");
    assertEquals(0, r.code(), r.err());
    assertEquals(1L << 20, Files.size(tmp.resolve("img")));
    assertEquals(1L << 20, superblock(tmp.resolve("img")).totalSize());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("img")));
    Files.delete(tmp.resolve("img"));
    r = Run.of("-d", src, "-o", tmp.resolve("img"), "-s", "64K");
    assertEquals(2, r.code());
    // superblock 4096 + base superblock 4096 + inode table (18 x 64, one block) 4096 + six
    // non-empty directories 6 x 4096 + files 6 x 4096 + 12288 (the 10000-byte one; the hard link
    // shares) + two symlinks 2 x 4096 = 81920
    assertEquals("mkdaxfs: /: the image needs 81920 bytes but the fixed size is 65536\n", r.err());
    assertEquals(List.of("src"), Run.names(tmp));
  }

  @Test
  void sourceAndImageAsMkfsErofsTakesThem() throws IOException {
    Run dir = Run.of(src, tmp.resolve("from-dir.daxfs"));
    assertEquals(0, dir.code(), dir.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("from-dir.daxfs")));
    Path tar = tmp.resolve("src.tar");
    Files.write(tar, new RawTar().file("hello.txt", "hi\n").finish());
    Run archive = Run.of(tar, tmp.resolve("from-tar.daxfs"));
    assertEquals(0, archive.code(), archive.err());
    assertTrue(archive.out().contains(": 2 inodes (1 directory, 1 file, 0 symlinks)"), archive.out());

    Run one = Run.of(src);
    assertEquals(1, one.code());
    assertTrue(one.err().startsWith("mkdaxfs: give SOURCE and IMAGE (mkdaxfs DIR|ARCHIVE IMAGE), or -d DIR"),
        one.err());
    Run both = Run.of(src, tmp.resolve("x"), "-o", tmp.resolve("y"));
    assertEquals(1, both.code());
    assertTrue(both.err().startsWith("mkdaxfs: give SOURCE IMAGE or -d/-t/--layer with -o, not both"), both.err());
  }

  @Test
  void dryRunNeedsNoOutputAndAZeroSizeIsRefused() throws IOException {
    Run dry = Run.of("-d", src, "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().startsWith("dry run, nothing written: "), dry.out());
    assertEquals(List.of("src"), Run.names(tmp));
    Run zero = Run.of("-d", src, "-o", tmp.resolve("img"), "-s", "0");
    assertEquals(1, zero.code());
    assertTrue(zero.err().startsWith("mkdaxfs: -s/--size must be more than 0\n"), zero.err());
    // T is a suffix like K, M and G (help says so); a size no file system holds fails at the output.
    Run huge = Run.of("-d", src, "--dry-run", "-s", "100T", "--json");
    assertEquals(0, huge.code(), huge.err());
  }

  @Test
  void oneOfAKindIsSingular() throws IOException {
    Path one = Files.createDirectories(tmp.resolve("one"));
    Files.writeString(one.resolve("a"), "a");
    Files.createSymbolicLink(one.resolve("l"), Path.of("a"));
    Run r = Run.of("-d", one, "--dry-run");
    assertTrue(r.out().startsWith("dry run, nothing written: 3 inodes (1 directory, 1 file, 1 symlink), 1 B of"),
        r.out());
  }

  @Test
  void specialPolicyIsInLowerCaseInHelpAndErrors() {
    Run bad = Run.of("-d", src, "-o", tmp.resolve("img"), "--special", "keep");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("expected skip or error, not 'keep'"), bad.err());
    assertTrue(Run.of("--help").out().contains("--special=skip|error"));
    assertEquals(0, Run.of("-d", src, "--dry-run", "--special", "ERROR").code());
  }

  @Test
  void ownershipOptionsRewriteEveryInode() throws IOException {
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("root"), "--all-root").code());
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("uid"), "--force-uid", "42").code());
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("both"), "--all-root", "--force-gid", "7").code());
    Map<String, String> tree = Trees.ofDirectory(src);
    assertTrue(tree.get("/etc/big").contains(" 1234 5678 "), "the sample has a non-root owner");
    assertEquals(owners(tree, "0", "0"), Trees.ofImage(tmp.resolve("root")));
    assertEquals(owners(tree, "42", null), Trees.ofImage(tmp.resolve("uid")));
    assertEquals(owners(tree, "0", "7"), Trees.ofImage(tmp.resolve("both")));
  }

  @Test
  void dedupeStoresIdenticalContentsOnceAndSaysSo() throws IOException {
    byte[] same = new byte[9000];
    java.util.Arrays.fill(same, (byte) 'x');
    byte[] other = same.clone();
    other[8999] = 'y';
    Files.write(src.resolve("dup1"), same);
    Files.write(src.resolve("etc/dup2"), same);
    Files.write(src.resolve("empty/dup3"), same);
    Files.write(src.resolve("sameSizeOtherBytes"), other);
    Path plain = tmp.resolve("plain");
    Path deduped = tmp.resolve("deduped");
    assertEquals(0, Run.of("-d", src, "-o", plain).code());
    Run r = Run.of("-d", src, "-o", deduped, "--dedupe");
    assertEquals(0, r.code(), r.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(deduped));
    long at = Trees.dataOffset(deduped, "/dup1");
    assertEquals(at, Trees.dataOffset(deduped, "/etc/dup2"));
    assertEquals(at, Trees.dataOffset(deduped, "/empty/dup3"));
    assertNotEquals(at, Trees.dataOffset(deduped, "/sameSizeOtherBytes"));
    assertNotEquals(Trees.dataOffset(plain, "/dup1"), Trees.dataOffset(plain, "/etc/dup2"));
    // two copies of 9000 bytes are not stored: 2 x 12 KiB less image
    assertEquals(Files.size(plain) - 2 * 12288, Files.size(deduped));
    assertTrue(r.out().contains("2 duplicate files share extents (17.6 KiB saved)"), r.out());
    // hard links were already shared: dedupe does not count them
    assertEquals(Trees.dataOffset(deduped, "/hard1"), Trees.dataOffset(deduped, "/etc/hard2"));
  }

  @Test
  void dedupeWorksOnArchivesToo() throws Exception {
    Files.writeString(src.resolve("copy-of-hostname"), "daxfs\n");
    Path archive = tmp.resolve("a.tar");
    Run.exec(tmp, "tar", "-cf", archive.toString(), "-C", src.toString(), ".");
    Run r = Run.of("-t", archive, "-o", tmp.resolve("img"), "--dedupe", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"deduplicated_files\":1,\"deduplicated_bytes_saved\":6,"), r.out());
    assertEquals(Trees.dataOffset(tmp.resolve("img"), "/etc/hostname"),
        Trees.dataOffset(tmp.resolve("img"), "/copy-of-hostname"));
  }

  @Test
  void dryRunPlansWithoutWriting() throws Exception {
    Run real = Run.of("-d", src, "-o", tmp.resolve("img"), "--json");
    Files.delete(tmp.resolve("img"));
    Run dry = Run.of("-d", src, "-o", tmp.resolve("img"), "--dry-run", "--json");
    assertEquals(0, dry.code(), dry.err());
    assertEquals(List.of("src"), Run.names(tmp));
    assertEquals(field(real.out(), "image_bytes"), field(dry.out(), "image_bytes"));
    assertTrue(dry.out().contains("\"written\":false"), dry.out());
    Run text = Run.of("-d", src, "-o", tmp.resolve("img"), "--dry-run");
    assertTrue(text.out().startsWith(tmp.resolve("img") + " (dry run, nothing written): 18 inodes"), text.out());
    Path archive = tmp.resolve("a.tar.xz");
    Run.exec(tmp, "tar", "-cJf", archive.toString(), "-C", src.toString(), ".");
    assertEquals(0, Run.of("-t", archive, "-o", tmp.resolve("img"), "--dry-run").code());
    assertEquals(List.of("a.tar.xz", "src"), Run.names(tmp), "no image and no spool left");
  }

  @Test
  void jsonIsOneObjectOnStdoutMatchingTheImage() throws IOException {
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "--json", "-w", "-D", "128K");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{\"output\":\"" + tmp.resolve("img") + "\",\"written\":true,\"kind\":\"branching\","
        + "\"inodes\":18,\"directories\":7,\"files\":9,\"symlinks\":2,"), r.out());
    assertEquals(1, r.out().lines().count());
    assertEquals(Files.size(tmp.resolve("img")), field(r.out(), "image_bytes"));
    assertEquals(131072, field(r.out(), "delta_bytes"));
    assertEquals("", r.err());
  }

  @Test
  void quietPrintsNothing() {
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "-q");
    assertEquals(new Run(0, "", ""), r);
  }

  @Test
  void helpListsEveryOptionAndTheExitCodes() {
    Run r = Run.of("--help");
    assertEquals(0, r.code());
    for (String option : List.of("--directory", "--tar", "--layer", "--output", "--writable", "--delta", "--size",
        "--heap", "--mountpoint", "--phys", "--validate", "--all-root", "--force-uid", "--force-gid", "--special",
        "--dedupe", "--dry-run", "--json", "--quiet", "--version")) {
      assertTrue(r.out().contains(option), option);
    }
    assertTrue(r.out().contains("Exit codes:"), r.out());
    for (String code : List.of("0   image written", "1   bad usage", "2   input error", "3   output error")) {
      assertTrue(r.out().contains(code), code);
    }
  }

  @Test
  void badUsageExitsWithOne() throws IOException {
    assertEquals(1, Run.of("-o", tmp.resolve("img")).code());
    assertEquals(1, Run.of("-d", src, "-t", "x.tar", "-o", tmp.resolve("img")).code());
    assertEquals(1, Run.of("-d", src).code());
    assertEquals(1, Run.of("-d", src, "-o", tmp.resolve("img"), "-D", "1M").code());
    assertEquals(1, Run.of("-d", src, "-o", tmp.resolve("img"), "--special", "maybe").code());
    assertEquals(1, Run.of("-d", src, "-o", tmp.resolve("img"), "--force-uid", "-1").code());
    assertEquals(1, Run.of("-d", src, "-o", tmp.resolve("img"), "-w", "-D", "4K").code());
    assertEquals(List.of("src"), Run.names(tmp));
  }

  private static Superblock superblock(Path image) throws IOException {
    try (ImageFile f = ImageFile.open(image)) {
      return f.image().superblock();
    }
  }

  /** {@code tree} with every uid and/or gid replaced (null keeps it). */
  private static Map<String, String> owners(Map<String, String> tree, String uid, String gid) {
    Map<String, String> out = new java.util.TreeMap<>();
    tree.forEach((path, d) -> {
      String[] f = d.split(" ", 4);
      out.put(path, f[0] + " " + (uid == null ? f[1] : uid) + " " + (gid == null ? f[2] : gid) + " " + f[3]);
    });
    return out;
  }

  private static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), json);
    return Long.parseLong(m.group(1));
  }
}
