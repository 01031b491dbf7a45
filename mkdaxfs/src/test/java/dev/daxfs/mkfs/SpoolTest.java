package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.Inode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool has no name, so nothing is left even after SIGKILL; zeros in archive members cost
 * neither spool nor image disk space (a 256 MiB member of zeros here, generated as it is read).
 */
class SpoolTest {
  private static final long ZEROS = 256L << 20;
  private static final byte[] HEAD = "head of the mixed member\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TAIL = "tail\n".getBytes(StandardCharsets.US_ASCII);
  private static final long MIXED = HEAD.length + (64L << 20) + TAIL.length;

  private static byte[] zerosTarGz;   // generated once for the tests that read it

  @TempDir Path tmp;

  @Test
  void zerosOfAMemberAreHolesInTheSpool() throws Exception {
    byte[] archive = zerosArchive();
    TarReader tar = TarReader.open(new ByteArrayInputStream(archive), "zeros.tar.gz");
    try (Spool spool = Spool.create(tmp)) {
      for (TarEntry e = tar.next(); e != null; e = tar.next()) {
        tar.copyData(spool);
      }
      assertEquals(List.of(), Run.names(tmp), "the spool has no name");
      List<String> fds = spoolDescriptors(ProcessHandle.current().pid(), tmp);
      assertEquals(1, fds.size(), fds.toString());
      long[] sizeAndBlocks = stat(fds.getFirst());
      assertTrue(sizeAndBlocks[0] >= ZEROS + MIXED, sizeAndBlocks[0] + " bytes spooled");
      assertTrue(sizeAndBlocks[1] < 1 << 20, sizeAndBlocks[1] + " bytes of disk for " + sizeAndBlocks[0]);
    }
  }

  @Test
  void anArchiveOfZerosMakesASparseImageWithTheSameContentAndDigest() throws Exception {
    Path archive = tmp.resolve("zeros.tar.gz");
    Files.write(archive, zerosArchive());
    Path img = tmp.resolve("img");
    Run r = Run.of("-t", archive, "-o", img);
    assertEquals(0, r.code(), r.err());
    long[] sizeAndBlocks = stat(img.toString());
    assertTrue(sizeAndBlocks[0] > ZEROS + MIXED, sizeAndBlocks[0] + " bytes of image");
    assertTrue(sizeAndBlocks[1] < 4 << 20, sizeAndBlocks[1] + " bytes of disk for " + sizeAndBlocks[0]);
    try (ImageFile f = ImageFile.open(img)) {
      assertTrue(r.out().strip().endsWith(", digest " + ImageDigest.of(f.image()).hex()), r.out());
      BaseImage base = f.image().base();
      DirentArray root = base.dirents(base.inode(Format.ROOT_INO));
      MessageDigest zeros = MessageDigest.getInstance("SHA-256");
      MessageDigest mixed = MessageDigest.getInstance("SHA-256");
      zeroBytes(zeros, ZEROS);
      mixed.update(HEAD);
      zeroBytes(mixed, MIXED - HEAD.length - TAIL.length);
      mixed.update(TAIL);
      List<String> expected = List.of("mixed " + hex(mixed), "zeros " + hex(zeros));
      List<String> found = new ArrayList<>();
      for (long i = 0; i < root.count(); i++) {
        Dirent d = root.get(i);
        Inode n = base.inode(d.ino());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ImageDigest.update(md, base.data(n));
        found.add(d.nameString() + " " + hex(md));
      }
      assertEquals(expected, found.stream().sorted().toList());
    }
  }

  /** SIGKILL while the archive is being spooled: nothing is left beside the output. */
  @Test
  void nothingIsLeftAfterSigkill() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), Mkdaxfs.class.getName(), "-q", "-t", "-", "-o",
        out.resolve("x.daxfs").toString()).redirectErrorStream(true).start();
    try (OutputStream stdin = p.getOutputStream()) {
      // A member announcing 64 MiB, of which 1 MiB arrives: mkdaxfs waits with its spool open.
      stdin.write(new RawTar().header("big".getBytes(StandardCharsets.US_ASCII), '0', 0644, 0, 0, 64L << 20, "")
          .unfinished());
      stdin.write(new byte[1 << 20]);
      stdin.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (spoolDescriptors(p.pid(), out).isEmpty()) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline, "mkdaxfs never opened its spool: "
            + (p.isAlive() ? "" : new String(p.getInputStream().readAllBytes())));
        Thread.sleep(20);
      }
      p.destroyForcibly();   // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } catch (IOException e) {
      // stdin closed by the killed process
    }
    assertEquals(137, p.waitFor());
    assertEquals(List.of(), Run.names(out));
  }

  /**
   * A gzip tar: "zeros", 256 MiB of zeros, and "mixed": a few bytes, 64 MiB of zeros, a few
   * bytes (its size not a multiple of 4096). Compressed as generated, never held whole.
   */
  private static synchronized byte[] zerosArchive() throws IOException {
    if (zerosTarGz == null) {
      zerosTarGz = generate();
    }
    return zerosTarGz;
  }

  private static byte[] generate() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
      { def.setLevel(Deflater.BEST_SPEED); }
    }) {
      gz.write(new RawTar().header("zeros".getBytes(StandardCharsets.US_ASCII), '0', 0644, 0, 0, ZEROS, "")
          .unfinished());
      writeZeros(gz, ZEROS);
      gz.write(new RawTar().header("mixed".getBytes(StandardCharsets.US_ASCII), '0', 0644, 0, 0, MIXED, "")
          .unfinished());
      gz.write(HEAD);
      writeZeros(gz, MIXED - HEAD.length - TAIL.length);
      gz.write(TAIL);
      writeZeros(gz, (512 - MIXED % 512) % 512 + 1024);
    }
    return bytes.toByteArray();
  }

  private static void writeZeros(OutputStream out, long n) throws IOException {
    byte[] block = new byte[1 << 20];
    for (long left = n; left > 0; left -= Math.min(left, block.length)) {
      out.write(block, 0, (int) Math.min(left, block.length));
    }
  }

  private static void zeroBytes(MessageDigest md, long n) {
    byte[] block = new byte[1 << 20];
    for (long left = n; left > 0; left -= Math.min(left, block.length)) {
      md.update(block, 0, (int) Math.min(left, block.length));
    }
  }

  private static String hex(MessageDigest md) {
    return HexFormat.of().formatHex(md.digest());
  }

  /** /proc paths of the descriptors of {@code pid} open on an unnamed file in {@code dir}. */
  private static List<String> spoolDescriptors(long pid, Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(dir + "/") && target.endsWith(" (deleted)")) {
            out.add(fd.toString());
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return out;
  }

  /** Size and allocated bytes of the file {@code path} names (following /proc links), by stat(1). */
  private static long[] stat(String path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stat", "-L", "-c", "%s %b %B", path).redirectErrorStream(true).start();
    String[] f = new String(p.getInputStream().readAllBytes()).trim().split(" ");
    assertEquals(0, p.waitFor(), String.join(" ", f));
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]) * Long.parseLong(f[2])};
  }
}
