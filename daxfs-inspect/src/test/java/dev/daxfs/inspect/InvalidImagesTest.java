package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.Structs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images daxfs-fsck rejects although every structure decodes: inspect shows what it can and exits
 * 2, naming fsck's rule, as it does for problems it meets itself.
 */
class InvalidImagesTest {
  @TempDir Path dir;

  /** Base offset 4096; root's dirents: bin (2), hello.txt (4), lnk (5); /bin's: tool (3). */
  private static long dirent(int dirIno, int index) {
    ImageLayout layout = Fixture.staticLayout();
    return Format.SUPERBLOCK_SIZE + layout.dataOffset(dirIno) + (long) index * Format.DIRENT_SIZE;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // /bin/tool's dirent names /bin itself: a directory inside itself.
      "directory cycle,           2, 0, 2, 040755, 30",
      // /bin/tool's dirent names /hello.txt (same mode): one file under two names, tool an orphan.
      "two names for one file,    2, 0, 4, 0100644, 30",
      // /hello.txt's dirent keeps its inode but says 0600.
      "dirent and inode mode,     1, 1, 4, 0100600, 29"})
  void inspectExitsTwoWhereFsckRejects(String what, int dirIno, int index, int ino, String mode, int rule)
      throws Exception {
    Path img = Fixture.staticImage(dir);
    byte[] b = Files.readAllBytes(img);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long at = dirent(dirIno, index);
    bb.putInt((int) (at + Structs.offset(Structs.DIRENT, "ino")), ino);
    bb.putInt((int) (at + Structs.offset(Structs.DIRENT, "mode")), Integer.parseInt(mode, 8));
    Files.write(img, b);

    for (String[] args : new String[][] {{"ls", "-f", img.toString()}, {"dump", "-f", img.toString()},
        {"stat", "-f", img.toString(), "/hello.txt"}, {"ls", "--json", "-f", img.toString()}}) {
      Run r = Run.of(args);
      assertEquals(2, r.status(), () -> what + ": " + String.join(" ", args) + ": " + r);
      String said = args[1].equals("--json") ? r.out() : r.err();
      assertTrue(said.contains("rule " + rule + " error: "), () -> what + ": " + String.join(" ", args) + ": " + r);
    }
    // What the tree shows is still printed.
    assertTrue(Run.of("ls", "-f", img.toString()).out().contains("hello.txt"));
  }
}
