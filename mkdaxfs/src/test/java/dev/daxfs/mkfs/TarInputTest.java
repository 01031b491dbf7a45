package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarInputTest {
  @TempDir Path tmp;

  /** Archives made by GNU tar, each compression it offers, read back equal to the tree. */
  @ParameterizedTest
  @ValueSource(strings = {"--no-auto-compress", "--gzip", "--bzip2", "--xz", "--zstd"})
  void gnuTarArchivesReadBackEqualToTheTree(String compression) throws Exception {
    assumeTrue(Run.available("tar", compression, "-cf", "/dev/null", "--files-from", "/dev/null"));
    Path src = Trees.sample(tmp.resolve("src"));
    Path archive = tmp.resolve("rootfs.archive");   // the name says nothing: content decides
    Run.exec(tmp, "tar", compression, "-C", src.toString(), "-cf", archive.toString(), ".");
    Path img = tmp.resolve("img");
    Run r = Run.of("-t", archive, "-o", img);
    assertEquals(0, r.code(), r.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(img));
    assertEquals(Trees.dataOffset(img, "/hard1"), Trees.dataOffset(img, "/etc/hard2"), "hard links share one extent");
    assertEquals(List.of("img", "rootfs.archive", "src"), Run.names(tmp), "the spool is gone");
  }

  @Test
  void paxArchiveWithLongNamesReadsBackEqual() throws Exception {
    Path src = Trees.sample(tmp.resolve("src"));
    Path archive = tmp.resolve("pax.tar");
    Run.exec(tmp, "tar", "--format=posix", "-C", src.toString(), "-cf", archive.toString(), ".");
    assertTrue(new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1).contains(" path=./ddd"),
        "the archive holds a PAX path record");
    Run r = Run.of("-t", archive, "-o", tmp.resolve("img"));
    assertEquals(0, r.code(), r.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("img")));
  }

  @Test
  void archiveFromStdin() throws Exception {
    Path src = Trees.sample(tmp.resolve("src"));
    Path archive = tmp.resolve("a.tgz");
    Run.exec(tmp, "tar", "-czf", archive.toString(), "-C", src.toString(), ".");
    InputStream saved = System.in;
    try (InputStream in = Files.newInputStream(archive)) {
      System.setIn(in);
      Run r = Run.of("-t", "-", "-o", tmp.resolve("img"));
      assertEquals(0, r.code(), r.err());
    } finally {
      System.setIn(saved);
    }
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("img")));
  }

  @Test
  void oversizedPaxHeaderIsRefusedBeforeItIsRead() throws IOException {
    // The size field claims 100 MiB and nothing follows: reading it first would report a
    // truncated archive (or allocate 100 MiB); the cap must fire on the header alone.
    byte[] tar = new RawTar().file("a", "first\n")
        .header("././@PaxHeader".getBytes(StandardCharsets.US_ASCII), 'x', 0644, 0, 0, 100L << 20, "")
        .unfinished();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": after a: extended header of 104857600 bytes at offset 1024"
        + " (limit 1048576), refused unread\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void oversizedGnuLongNameIsRefusedBeforeItIsRead() throws IOException {
    byte[] tar = new RawTar()
        .header("././@LongLink".getBytes(StandardCharsets.US_ASCII), 'L', 0644, 0, 0, 1L << 33, "")
        .unfinished();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertTrue(r.err().endsWith(": extended header of 8589934592 bytes at offset 0 (limit 1048576), refused unread\n"),
        r.err());
  }

  @Test
  void dotDotIsRefusedNamingTheEntry() throws IOException {
    Run r = runArchive(new RawTar().file("ok", "x").file("a/../../etc/passwd", "evil").finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": a/../../etc/passwd: '..' in a path would leave the"
        + " image root\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void absolutePathsStayInsideTheRoot() throws IOException {
    Run r = runArchive(new RawTar().file("/etc/passwd", "root:x:0:0\n").file("./x", "x").file("//y", "y").finish());
    assertEquals(0, r.code(), r.err());
    assertEquals(Map.of(
        "/", Trees.describe(040755, 0, 0, ""),
        "/etc", Trees.describe(040755, 0, 0, ""),
        "/etc/passwd", Trees.describe(0100644, 0, 0, Trees.sha(bytes("root:x:0:0\n"))),
        "/x", Trees.describe(0100644, 0, 0, Trees.sha(bytes("x"))),
        "/y", Trees.describe(0100644, 0, 0, Trees.sha(bytes("y")))), Trees.ofImage(tmp.resolve("img")));
  }

  @Test
  void laterEntriesReplaceEarlierOnesAsExtractionWould() throws IOException {
    Run r = runArchive(new RawTar()
        .file("a", "one").file("a", "two")
        .dir("d").file("d/inside", "gone with d").file("d", "now a file")
        .entry("keep", '5', 0700, "", new byte[0]).file("keep/child", "stays")
        .entry("keep", '5', 0750, "", new byte[0])
        .entry("s", '2', 0777, "a", new byte[0]).file("s", "file over symlink")
        .finish());
    assertEquals(0, r.code(), r.err());
    Map<String, String> image = Trees.ofImage(tmp.resolve("img"));
    assertEquals(Trees.describe(0100644, 0, 0, Trees.sha(bytes("two"))), image.get("/a"));
    assertEquals(Trees.describe(0100644, 0, 0, Trees.sha(bytes("now a file"))), image.get("/d"));
    assertFalse(image.containsKey("/d/inside"));
    assertEquals(Trees.describe(040750, 0, 0, ""), image.get("/keep"), "the directory keeps its children");
    assertEquals(Trees.describe(0100644, 0, 0, Trees.sha(bytes("stays"))), image.get("/keep/child"));
    assertEquals(Trees.describe(0100644, 0, 0, Trees.sha(bytes("file over symlink"))), image.get("/s"));
  }

  @Test
  void hardLinksShareTheEarlierFilesExtent() throws IOException {
    Run r = runArchive(new RawTar().file("dir/f", "shared bytes").entry("g", '1', 0644, "./dir/f", new byte[0])
        .finish());
    assertEquals(0, r.code(), r.err());
    Path img = tmp.resolve("img");
    assertEquals(Trees.ofImage(img).get("/dir/f"), Trees.ofImage(img).get("/g"));
    assertEquals(Trees.dataOffset(img, "/dir/f"), Trees.dataOffset(img, "/g"));
    assertTrue(r.out().contains("12 B of file data"), r.out());
  }

  @Test
  void hardLinkToAMissingEntryIsAnError() throws IOException {
    Run r = runArchive(new RawTar().file("f", "x").entry("g", '1', 0644, "nope", new byte[0]).finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": g: hard link to nope, which is not an earlier regular file"
        + " of the archive\n", r.err());
  }

  @Test
  void truncatedArchiveIsAnErrorNamingTheEntry() throws IOException {
    byte[] whole = new RawTar().file("first", "ok").entry("big", '0', 0644, "", new byte[5000]).finish();
    Run r = runArchive(Arrays.copyOf(whole, 1024 + 512 + 3000));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": big: truncated archive (ends at offset 4536 inside a"
        + " member)\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void corruptHeaderIsAnErrorNamingItsOffset() throws IOException {
    byte[] tar = new RawTar().file("first", "ok").file("second", "ok").finish();
    tar[1024 + 3] ^= 0x20;   // a name byte of the second header: its checksum no longer matches
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("mkdaxfs: " + tmp.resolve("t.tar") + ": after first: corrupt tar header at offset"
        + " 1024 (checksum"), r.err());
  }

  @Test
  void corruptCompressedStreamIsAnInputError() throws Exception {
    byte[] plain = new RawTar().entry("noise", '0', 0644, "", noise(200_000)).finish();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(plain);
    }
    byte[] bad = gz.toByteArray();
    for (int i = bad.length / 2; i < bad.length / 2 + 64; i++) {
      bad[i] ^= (byte) 0xA5;
    }
    Run r = runArchive(bad);
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("mkdaxfs: " + tmp.resolve("t.tar") + ": noise: cannot read at offset "), r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void cutOffCompressedStreamIsAnInputError() throws Exception {
    byte[] plain = new RawTar().file("first", "ok").entry("noise", '0', 0644, "", noise(300_000)).finish();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(plain);
    }
    Run r = runArchive(Arrays.copyOf(gz.toByteArray(), 200_000));
    assertEquals(2, r.code());
    assertTrue(r.err().matches("mkdaxfs: " + java.util.regex.Pattern.quote(tmp.resolve("t.tar").toString())
        + ": noise: cannot read at offset \\d+: the compressed stream ends early\n"), r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void missingParentsAreCreatedAsRootOwned0755() throws IOException {
    byte[] tar = new RawTar().header(bytes("x/y/z"), '0', 0600, 7, 8, 2, "").data(bytes("zz")).finish();
    Run r = runArchive(tar);
    assertEquals(0, r.code(), r.err());
    Map<String, String> expected = new TreeMap<>(Map.of(
        "/", Trees.describe(040755, 0, 0, ""),
        "/x", Trees.describe(040755, 0, 0, ""),
        "/x/y", Trees.describe(040755, 0, 0, ""),
        "/x/y/z", Trees.describe(0100600, 7, 8, Trees.sha(bytes("zz")))));
    assertEquals(expected, Trees.ofImage(tmp.resolve("img")));
  }

  @Test
  void deviceEntriesAreSkippedWithAWarningOrRefused() throws IOException {
    byte[] tar = new RawTar().file("keep", "k").entry("dev/null", '3', 0666, "", new byte[0])
        .entry("dev/sda", '4', 0660, "", new byte[0]).finish();
    Run r = runArchive(tar);
    assertEquals(0, r.code(), r.err());
    assertEquals("mkdaxfs: warning: skipped 2 special files (device, fifo or socket; v3 cannot store them;"
        + " --special error refuses them), first: " + tmp.resolve("t.tar") + ": dev/null\n", r.err());
    assertEquals(List.of("/", "/dev", "/keep"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
    Files.delete(tmp.resolve("img"));
    r = Run.of("-t", tmp.resolve("t.tar"), "-o", tmp.resolve("img"), "--special", "error");
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": dev/null: character device cannot be stored in DAXFS v3"
        + " (--special error)\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void nameOver128BytesInAnArchiveIsAnError() throws IOException {
    String longName = "z".repeat(129);
    Run r = runArchive(new RawTar().pax("path", "dir/" + longName).file("ignored", "x").finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": dir/" + longName + ": name of 129 bytes is longer than the"
        + " 128 bytes DAXFS v3 can store\n", r.err());
  }

  @Test
  void controlCharactersInANameCannotSplitTheErrorLine() throws IOException {
    // Finding F4 of the archive fuzzer: a newline in an entry's name made the one-line error two lines.
    String name = "a\nb\r\u001b[2J" + "z".repeat(130);
    Run r = runArchive(new RawTar().pax("path", "dir/" + name).file("ignored", "x").finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": dir/a\\x0ab\\x0d\\x1b[2J" + "z".repeat(130)
        + ": name of 138 bytes is longer than the 128 bytes DAXFS v3 can store\n", r.err());
  }

  @Test
  void veryDeepArchivePathNeedsNoRecursion() throws IOException {
    String deep = "d/".repeat(5_000) + "leaf";
    Run r = runArchive(new RawTar().pax("path", deep).file("ignored", "bottom").finish());
    assertEquals(0, r.code(), r.err());
    assertEquals(5_002, Trees.ofImage(tmp.resolve("img")).size());
  }

  private Run runArchive(byte[] tar) throws IOException {
    Path archive = tmp.resolve("t.tar");
    Files.write(archive, tar);
    return Run.of("-t", archive, "-o", tmp.resolve("img"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] noise(int n) {
    byte[] b = new byte[n];
    new java.util.Random(42).nextBytes(b);
    return b;
  }
}
