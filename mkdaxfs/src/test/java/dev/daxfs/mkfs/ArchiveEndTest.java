package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An archive must end with its end-of-archive blocks: a tar cut anywhere before them is an error,
 * never an image with members missing; an empty input is not a tar archive.
 */
class ArchiveEndTest {
  @TempDir Path tmp;

  @Test
  void everyCutBeforeTheEndBlocksIsAnErrorAndEveryCutAfterKeepsAllMembers() throws Exception {
    Path src = Trees.sample(tmp.resolve("src"));
    Path whole = tmp.resolve("whole.tar");
    Run.exec(tmp, "tar", "-C", src.toString(), "-cf", whole.toString(), ".");
    byte[] tar = Files.readAllBytes(whole);
    long end = membersEnd(tar);
    Map<String, String> expected = Trees.ofDirectory(src);
    List<Integer> cuts = new ArrayList<>();
    for (int at = 0; at <= tar.length; at += 512) {
      cuts.add(at);
      if (at + 300 < tar.length) {
        cuts.add(at + 300);
      }
    }
    int refused = 0;
    for (int cut : cuts) {
      Path archive = tmp.resolve("cut.tar");
      Files.write(archive, Arrays.copyOf(tar, cut));
      Path img = tmp.resolve("img");
      Run r = Run.of("-q", "-t", archive, "-o", img);
      if (cut < end + 512) {
        assertEquals(2, r.code(), "cut at " + cut + " of " + tar.length + " (members end at " + end + "): " + r.err());
        assertTrue(r.err().startsWith("mkdaxfs: " + archive + ": ") && r.err().lines().count() == 1, r.err());
        assertTrue(Files.notExists(img), "no image for a cut at " + cut);
        refused++;
      } else {
        assertEquals(0, r.code(), "cut at " + cut + ": " + r.err());
        assertEquals(expected, Trees.ofImage(img), "cut at " + cut);
        Files.delete(img);
      }
    }
    assertTrue(refused > 20, refused + " cuts refused");
  }

  @Test
  void cutAtAHeaderBoundaryNamesTheLastMemberAndOffset() throws IOException {
    byte[] tar = new RawTar().file("first", "1").file("second", "2").unfinished();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": after second: archive ends at offset 2048 without its"
        + " end-of-archive blocks (cut off?)\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void emptyInputIsNotATarArchive() throws Exception {
    Run r = runArchive(new byte[0]);
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": does not look like a tar archive (it is empty)\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));

    r = Run.of("-t", "/dev/null", "-o", tmp.resolve("img"));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: /dev/null: does not look like a tar archive (it is empty)\n", r.err());

    r = runArchive(compress("gz", new byte[0]));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": does not look like a tar archive (it is empty)\n", r.err());

    InputStream saved = System.in;
    try {
      System.setIn(InputStream.nullInputStream());
      r = Run.of("-t", "-", "-o", tmp.resolve("img"));
    } finally {
      System.setIn(saved);
    }
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: stdin: does not look like a tar archive (it is empty)\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void textIsNotATarArchive() throws IOException {
    Run r = runArchive("hello\n".getBytes());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": does not look like a tar archive (6 bytes, less than one"
        + " header)\n", r.err());
    r = runArchive("hello world\n".repeat(100).getBytes());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": does not look like a tar archive (no tar header at offset"
        + " 0)\n", r.err());
  }

  @Test
  void archiveOfNothingButEndBlocksIsAnEmptyRoot() throws IOException {
    Run r = runArchive(new byte[10240]);   // tar -cf x.tar -T /dev/null
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
  }

  @Test
  void aLoneZeroBlockAtTheEndIsAcceptedAsGnuTarDoes() throws IOException {
    byte[] members = new RawTar().file("a", "1").file("b", "2").unfinished();
    Run r = runArchive(Arrays.copyOf(members, members.length + 512));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/", "/a", "/b"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
  }

  @Test
  void aLoneZeroBlockBeforeMoreMembersIsAnError() throws IOException {
    // tar stops at the zero block and drops "b" without an error (GNU tar only warns).
    RawTar t = new RawTar().file("a", "1");
    t.data(new byte[512]);
    byte[] tar = t.file("b", "2").finish();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": after a: a lone zero block at offset 1024 is followed by"
        + " data at offset 1536: members after it would be lost (a damaged archive, or archives joined by cat)\n",
        r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gz", "bzip2", "xz", "zstd"})
  void compressedStreamOfACutTarIsAnError(String format) throws Exception {
    byte[] cut = new RawTar().file("first", "1").file("second", "2").unfinished();
    Run r = runArchive(compress(format, cut));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": after second: archive ends at offset 2048 without its"
        + " end-of-archive blocks (cut off?)\n", r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gz", "bzip2", "xz", "zstd"})
  void concatenatedCompressedStreamsAreReadToTheEnd(String format) throws Exception {
    // As `gzip -c a >> x.gz` makes and gunzip reads: the archive continues in the second stream.
    byte[] tar = new RawTar().file("first", "1").file("second", "2").finish();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.writeBytes(compress(format, Arrays.copyOf(tar, 1024)));
    joined.writeBytes(compress(format, Arrays.copyOfRange(tar, 1024, tar.length)));
    Run r = runArchive(joined.toByteArray());
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/", "/first", "/second"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
  }

  /** What tar writers put at the end (two zero blocks, record padding) is read as the end. */
  @Test
  void archivesOfGnuTarPythonAndBsdtarAreAccepted() throws Exception {
    Path src = Trees.sample(tmp.resolve("src"));
    Map<String, String> expected = Trees.ofDirectory(src);
    List<List<String>> writers = new ArrayList<>();
    writers.add(List.of("tar", "-C", src.toString(), "-cf", "OUT", "."));
    writers.add(List.of("tar", "--format=posix", "-C", src.toString(), "-cf", "OUT", "."));
    for (String format : List.of("GNU_FORMAT", "PAX_FORMAT")) {
      writers.add(List.of("python3", "-c", "import tarfile,sys\n"
          + "with tarfile.open(sys.argv[1], 'w', format=tarfile." + format + ") as t: t.add(sys.argv[2], arcname='.')",
          "OUT", src.toString()));
    }
    writers.add(List.of("bsdtar", "-C", src.toString(), "-cf", "OUT", "."));
    int ran = 0;
    for (List<String> writer : writers) {
      if (!Run.available(writer.getFirst(), writer.getFirst().equals("python3") ? "-V" : "--version")) {
        continue;
      }
      Path archive = tmp.resolve("w.tar");
      Run.exec(tmp, writer.stream().map(a -> a.equals("OUT") ? archive.toString() : a).toArray(String[]::new));
      Path img = tmp.resolve("img");
      Run r = Run.of("-q", "-t", archive, "-o", img);
      assertEquals(0, r.code(), writer + ": " + r.err());
      assertEquals(expected, Trees.ofImage(img), writer.toString());
      Files.delete(img);
      Files.delete(archive);
      ran++;
    }
    assertTrue(ran >= 2, "GNU tar at least");
  }

  /** Where the first end block starts: after the last member's header and data. */
  private static long membersEnd(byte[] tar) {
    int at = 0;
    while (at + 512 <= tar.length) {
      boolean zero = true;
      for (int i = at; i < at + 512; i++) {
        zero &= tar[i] == 0;
      }
      if (zero) {
        return at;
      }
      long size = Long.parseLong(new String(tar, at + 124, 11).trim(), 8);
      at += 512 + (int) ((size + 511) / 512 * 512);
    }
    throw new AssertionError("no end block");
  }

  static byte[] compress(String format, byte[] data) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new CompressorStreamFactory().createCompressorOutputStream(format, bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private Run runArchive(byte[] tar) throws IOException {
    Path archive = tmp.resolve("t.tar");
    Files.write(archive, tar);
    return Run.of("-t", archive, "-o", tmp.resolve("img"));
  }
}
