package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An uncompressed archive in a regular file is read in place (member data is read once, when
 * the image is written) and makes the very image the same archive makes from stdin, which is
 * spooled; an archive that shrinks in between is an input error naming it.
 */
class ArchiveInPlaceTest {
  @TempDir Path tmp;

  @Test
  void anArchiveFileMakesTheSameImageAsTheArchiveOnStdin() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] b = new byte[random.nextInt(6000)];
      random.nextBytes(b);
      Files.write(Files.createDirectories(src.resolve("d" + i % 7)).resolve("f" + i), b);
    }
    byte[] big = new byte[(3 << 19) + 77];   // over 1 MiB, not a whole number of blocks
    random.nextBytes(big);
    Files.write(src.resolve("big"), big);
    Files.write(src.resolve("big-copy"), big);   // one extent with --dedupe
    Files.write(src.resolve("empty"), new byte[0]);
    Files.write(src.resolve("zeros"), new byte[8 << 20]);
    Files.createLink(src.resolve("d1/hard"), src.resolve("big"));
    Files.createSymbolicLink(src.resolve("link"), Path.of("d1/hard"));
    Path archive = tmp.resolve("a.tar");
    Run.exec(tmp, "tar", "--format=gnu", "-C", src.toString(), "-cf", archive.toString(), ".");

    for (List<String> extra : List.of(List.<String>of(), List.of("--dedupe"))) {
      Path fromFile = tmp.resolve("file" + extra.size() + ".img");
      Path fromStdin = tmp.resolve("stdin" + extra.size() + ".img");
      Run r = run(extra, "-t", archive, "-o", fromFile);
      assertEquals(0, r.code(), r.err());
      r = stdin(archive, extra, "-t", "-", "-o", fromStdin);
      assertEquals(0, r.code(), r.err());
      assertEquals(-1, Files.mismatch(fromFile, fromStdin), "byte-identical images " + extra);
      assertEquals(allocated(fromStdin), allocated(fromFile));
      assertTrue(allocated(fromFile) < Files.size(fromFile) - (7 << 20),
          allocated(fromFile) + " bytes allocated of " + Files.size(fromFile) + ": the zeros are a hole");
      assertEquals(Trees.ofDirectory(src), Trees.ofImage(fromFile));
      assertEquals(Trees.dataOffset(fromFile, "/big"), Trees.dataOffset(fromFile, "/d1/hard"), "hard link");
    }
  }

  @Test
  void aTruncatedArchiveFileFailsAsTheSameArchiveOnStdinDoes() throws Exception {
    byte[] whole = new RawTar().file("first", "ok").entry("big", '0', 0644, "", new byte[5000])
        .entry("dir", '5', 0755, "", new byte[700]).file("last", "x").finish();
    // Inside big's data, inside its padding, inside the data a directory header announces.
    for (int cut : new int[] {1024 + 512 + 3000, 1024 + 512 + 5000 + 100, 1024 + 512 + 5120 + 512 + 300}) {
      Path archive = tmp.resolve("t" + cut + ".tar");
      Files.write(archive, Arrays.copyOf(whole, cut));
      Run fromFile = Run.of("-t", archive, "-o", tmp.resolve("img"));
      Run fromStdin = stdin(archive, List.of(), "-t", "-", "-o", tmp.resolve("img"));
      assertEquals(2, fromFile.code(), fromFile.err());
      assertTrue(fromFile.err().contains(": truncated archive (ends at offset " + cut + " inside a member)"),
          fromFile.err());
      assertEquals(fromStdin.err().replace("stdin: ", archive + ": "), fromFile.err());
      assertEquals(fromStdin.code(), fromFile.code());
    }
    // A PAX size that overflows with its padding is no way back into the headers already read.
    Path huge = tmp.resolve("huge.tar");
    Files.write(huge, new RawTar().file("first", "ok").pax("size", String.valueOf(Long.MAX_VALUE - 100))
        .file("big", "short").finish());
    Run fromFile = Run.of("-t", huge, "-o", tmp.resolve("img"));
    Run fromStdin = stdin(huge, List.of(), "-t", "-", "-o", tmp.resolve("img"));
    assertEquals(2, fromFile.code(), fromFile.err());
    assertEquals("mkdaxfs: " + huge + ": big: truncated archive (ends at offset " + Files.size(huge)
        + " inside a member)\n", fromFile.err());
    assertEquals(fromStdin.err().replace("stdin: ", huge + ": "), fromFile.err());
    assertTrue(Run.names(tmp).stream().noneMatch(n -> n.startsWith("img")), Run.names(tmp).toString());
  }

  /** GNU and PAX sparse members are refused, from a file as from stdin. */
  @Test
  void sparseMembersAreRefusedAsFromStdin() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    try (FileChannel c = FileChannel.open(src.resolve("holes"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      c.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 1 << 20);
    }
    for (String format : new String[] {"--format=gnu", "--format=posix"}) {
      Path archive = tmp.resolve("sparse.tar");
      Files.deleteIfExists(archive);
      Run.exec(tmp, "tar", format, "--sparse", "-C", src.toString(), "-cf", archive.toString(), "holes");
      Run fromFile = Run.of("-t", archive, "-o", tmp.resolve("img"));
      Run fromStdin = stdin(archive, List.of(), "-t", "-", "-o", tmp.resolve("img"));
      assertEquals(2, fromFile.code(), fromFile.err());
      assertTrue(fromFile.err().contains("sparse") || fromFile.err().contains("type 'S'"), fromFile.err());
      assertEquals(fromStdin.err().replace("stdin: ", archive + ": "), fromFile.err());
    }
    assertEquals(List.of("sparse.tar", "src"), Run.names(tmp));
  }

  @Test
  void layersReadInPlaceOverrideEachOther() throws Exception {
    byte[] lowBig = new byte[2 << 20];
    new Random(1).nextBytes(lowBig);
    Path l1 = tmp.resolve("l1.tar");
    Files.write(l1, new RawTar().entry("etc/big", '0', 0644, "", lowBig).file("etc/gone", "old")
        .file("etc/kept", "kept").finish());
    Path l2 = tmp.resolve("l2.tar");
    Files.write(l2, new RawTar().file("etc/.wh.gone", "").file("etc/big", "small now")
        .entry("etc/also", '1', 0644, "etc/kept", new byte[0]).finish());
    Path img = tmp.resolve("img");
    Run r = Run.of("--layer", l1, "--layer", l2, "-o", img);
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/", "/etc", "/etc/also", "/etc/big", "/etc/kept"), List.copyOf(Trees.ofImage(img).keySet()));
    assertTrue(Trees.ofImage(img).get("/etc/big").endsWith(" " + Trees.sha("small now".getBytes(StandardCharsets.UTF_8))),
        Trees.ofImage(img).get("/etc/big"));
    assertEquals(Trees.dataOffset(img, "/etc/kept"), Trees.dataOffset(img, "/etc/also"),
        "a hard link to a lower layer's member shares its extent");
  }

  /**
   * The first layer is read in place; the second comes through a FIFO, and before the test
   * writes it, it cuts the first layer short: the image cannot be written, and nothing is left.
   */
  @Test
  void anArchiveThatShrinksBeforeTheImageIsWrittenIsAnInputError() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(2).nextBytes(data);
    Path l1 = tmp.resolve("l1.tar");
    Files.write(l1, new RawTar().file("small", "x").entry("big", '0', 0644, "", data).finish());
    Path fifo = tmp.resolve("l2.fifo");
    Run.exec(tmp, "mkfifo", fifo.toString());
    Path out = Files.createDirectory(tmp.resolve("out"));
    CompletableFuture<Run> run = CompletableFuture.supplyAsync(
        () -> Run.of("--layer", l1, "--layer", fifo, "-o", out.resolve("img")));
    // Opening the FIFO waits until mkdaxfs opens it, which it does once the first layer is read.
    try (OutputStream second = Files.newOutputStream(fifo)) {
      try (FileChannel c = FileChannel.open(l1, StandardOpenOption.WRITE)) {
        c.truncate(1024 + (2 << 20));
      }
      second.write(new RawTar().file("other", "y").finish());
    }
    Run r = run.get(60, TimeUnit.SECONDS);
    assertEquals(2, r.code(), r.err());
    assertEquals("mkdaxfs: " + l1 + ": big: the archive changed while being read (it no longer holds the "
        + data.length + " bytes of data at offset 1536)\n", r.err());
    assertEquals(List.of(), Run.names(out));
  }

  /** A member's copy checks what it reads: a short read and a short transfer are both caught. */
  @Test
  void aMembersCopyFromAShrunkArchiveNamesTheArchiveAndMember() throws Exception {
    byte[] data = new byte[2 << 20];
    new Random(3).nextBytes(data);
    Path archive = tmp.resolve("a.tar");
    Files.write(archive, new RawTar().file("small", "some bytes").entry("big", '0', 0644, "", data).finish());
    List<Content> members = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(archive); Spool spool = Spool.create(tmp)) {
      TarReader tar = TarReader.open(ch, archive.toString());
      for (TarEntry e = tar.next(); e != null; e = tar.next()) {
        members.add(tar.copyData(spool));
        sizes.add(e.size());
      }
      try (FileChannel c = FileChannel.open(archive, StandardOpenOption.WRITE)) {
        c.truncate(520);
      }
      try (FileChannel image = FileChannel.open(tmp.resolve("img"), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
        List<ImageSink> sinks = List.of(ImageSink.of(image), ImageSink.of(arena.allocate(4 << 20)), new DigestSink());
        for (ImageSink sink : sinks) {
          for (int i = 0; i < members.size(); i++) {
            Content m = members.get(i);
            long size = sizes.get(i);
            InputException e = assertThrows(InputException.class, () -> m.copyTo(sink, 0, size));
            String name = i == 0 ? "small" : "big";
            assertEquals(archive + ": " + name + ": the archive changed while being read (it no longer holds the "
                + size + " bytes of data at offset " + (i == 0 ? 512 : 1536) + ")", e.getMessage());
          }
        }
      }
    }
  }

  private static Run run(List<String> extra, Object... args) {
    List<Object> all = new ArrayList<>(extra);
    all.addAll(List.of(args));
    return Run.of(all.toArray());
  }

  private static Run stdin(Path archive, List<String> extra, Object... args) throws IOException {
    InputStream saved = System.in;
    try (InputStream in = Files.newInputStream(archive)) {
      System.setIn(in);
      return run(extra, args);
    } finally {
      System.setIn(saved);
    }
  }

  /** Bytes of disk the file takes, by stat(1). */
  private static long allocated(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
    String[] f = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
    assertEquals(0, p.waitFor(), String.join(" ", f));
    return Long.parseLong(f[0]) * Long.parseLong(f[1]);
  }
}
