package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryInputTest {
  @TempDir Path tmp;

  @Test
  void imageReadsBackEqualToTheTree() throws IOException {
    Path src = Trees.sample(tmp.resolve("src"));
    Path img = tmp.resolve("out/img");
    Files.createDirectories(img.getParent());
    Run r = Run.of("-d", src, "-o", img);
    assertEquals(0, r.code(), r.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(img));
    assertEquals(Trees.dataOffset(img, "/hard1"), Trees.dataOffset(img, "/etc/hard2"), "hard links share one extent");
    assertNotEquals(Trees.dataOffset(img, "/hard1"), Trees.dataOffset(img, "/etc/hostname"));
    assertTrue(r.out().startsWith(img + ": 18 inodes (7 directories, 9 files, 2 symlinks)"), r.out());
    assertEquals(List.of("img"), Run.names(img.getParent()));
  }

  @Test
  void twoBuildsAreByteIdentical() throws IOException {
    Path src = Trees.sample(tmp.resolve("src"));
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("a"), "-w").code());
    assertEquals(0, Run.of("-d", src, "-o", tmp.resolve("b"), "-w").code());
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a")), Files.readAllBytes(tmp.resolve("b")));
  }

  @Test
  void fifosAreSkippedWithOneWarning() throws Exception {
    Path src = Trees.sample(tmp.resolve("src"));
    Run.exec(src, "mkfifo", "fifo1", "etc/fifo2");
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"));
    assertEquals(0, r.code(), r.err());
    assertEquals("mkdaxfs: warning: skipped 2 special files (device, fifo or socket; v3 cannot store them;"
        + " --special error refuses them), first: " + src.resolve("etc/fifo2") + "\n", r.err());
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(tmp.resolve("img")));
  }

  @Test
  void specialErrorRefusesAFifoAndLeavesNoImage() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Run.exec(src, "mkfifo", "fifo");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Run r = Run.of("-d", src, "-o", out.resolve("img"), "--special", "error");
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + src.resolve("fifo") + ": fifo cannot be stored in DAXFS v3 (--special error)\n", r.err());
    assertEquals(List.of(), Run.names(out));
  }

  @Test
  void nameOver128BytesIsAnErrorNamingThePath() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Files.createFile(src.resolve("é".repeat(65)));   // 130 bytes in UTF-8
    Path out = Files.createDirectories(tmp.resolve("out"));
    Run r = Run.of("-d", tmp.resolve("src"), "-o", out.resolve("img"));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + src.resolve("é".repeat(65)) + ": name of 130 bytes is longer than the 128 bytes"
        + " DAXFS v3 can store\n", r.err());
    assertEquals(List.of(), Run.names(out));
  }

  @Test
  void missingDirectoryIsAnInputError() {
    Run r = Run.of("-d", tmp.resolve("nope"), "-o", tmp.resolve("img"));
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("nope") + ": no such file or directory\n", r.err());
  }

  @Test
  void unwritableOutputIsAnOutputError() throws IOException {
    Path src = Trees.sample(tmp.resolve("src"));
    Run r = Run.of("-d", src, "-o", tmp.resolve("no/such/img"));
    assertEquals(3, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("no/such/img") + ": cannot write image: no such directory "
        + tmp.resolve("no/such") + "\n", r.err());
    r = Run.of("-d", src, "-o", src);
    assertEquals(3, r.code());
    assertEquals("mkdaxfs: " + src + ": cannot write image: is a directory, not a regular file; refusing to replace it\n",
        r.err());
  }

  /** Root reads any file; without CAP_DAC_OVERRIDE the kernel refuses a mode-000 file as for anyone. */
  @Test
  void unreadableFileIsAnErrorNamingThePath() throws Exception {
    assumeTrue(Run.available("setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"));
    Path src = Trees.sample(tmp.resolve("src"));
    Path secret = src.resolve("etc/secret");
    Files.writeString(secret, "no\n");
    Files.setPosixFilePermissions(secret, java.util.Set.of());
    Path out = Files.createDirectories(tmp.resolve("out"));
    Run r = runWithoutDacOverride("-d", src.toString(), "-o", out.resolve("img").toString());
    assertEquals(new Run(2, "", "mkdaxfs: " + secret + ": permission denied\n"), r);
    assertEquals(List.of(), Run.names(out));
  }

  @Test
  void readOnlyOutputDirectoryIsAnOutputError() throws Exception {
    assumeTrue(Run.available("setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"));
    Path src = Trees.sample(tmp.resolve("src"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    Run r = runWithoutDacOverride("-d", src.toString(), "-o", out.resolve("img").toString());
    assertEquals(new Run(3, "", "mkdaxfs: " + out.resolve("img") + ": cannot write image: permission denied: cannot"
        + " create files in " + out + "\n"), r);
    assertEquals(List.of(), Run.names(out));
  }

  /**
   * Runs mkdaxfs in a process that lacks the capabilities that let root read and write anything,
   * so permissions apply to it as to any user. Stdout and stderr are kept apart.
   */
  private Run runWithoutDacOverride(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new java.util.ArrayList<>(List.of("setpriv",
        "--bounding-set=-dac_override,-dac_read_search", java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"),
        Mkdaxfs.class.getName()));
    command.addAll(List.of(args));
    Path stderr = tmp.resolve("stderr");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    String err = Files.readString(stderr);
    Files.delete(stderr);
    return new Run(code, out, err);
  }

  @Test
  void fileThatVanishesAfterTheScanIsAnInputErrorAndNoImageIsLeft() throws IOException {
    Path src = Trees.sample(tmp.resolve("src"));
    ImageLayout layout = ImageLayout.plan(scan(src), ImageSpec.staticImage());
    Files.delete(src.resolve("etc/big"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    InputException e = assertThrows(InputException.class,
        () -> writeImage(layout, out.resolve("img")));
    assertEquals(src.resolve("etc/big") + ": vanished after the scan (no such file)", e.getMessage());
    assertEquals(List.of(), Run.names(out));
  }

  @Test
  void fileThatChangesSizeWhileReadIsAnInputError() throws IOException {
    Path src = Trees.sample(tmp.resolve("src"));
    ImageLayout layout = ImageLayout.plan(scan(src), ImageSpec.staticImage());
    Files.writeString(src.resolve("etc/hostname"), "grown\n", StandardOpenOption.APPEND);
    Path out = Files.createDirectories(tmp.resolve("out"));
    InputException e = assertThrows(InputException.class,
        () -> writeImage(layout, out.resolve("img")));
    assertEquals(src.resolve("etc/hostname") + ": changed size while being read (6 bytes when scanned, 12 now)",
        e.getMessage());
    assertEquals(List.of(), Run.names(out));
  }

  /** As mkdaxfs writes -o: through an OutputFile, named only when complete. */
  private static void writeImage(ImageLayout layout, Path out) throws IOException {
    try (dev.daxfs.nativemem.OutputFile f = dev.daxfs.nativemem.OutputFile.create(out, 0644)) {
      ImageWriter.write(layout, f.channel(), ImageWriter.Progress.NONE);
      f.commit();
    }
  }

  private static Node.Directory scan(Path src) throws IOException {
    return new DirectoryTree(Ownership.KEEP, new SpecialFiles(SpecialFiles.Policy.SKIP), 2, new ScanLine(null)).scan(src);
  }
}
