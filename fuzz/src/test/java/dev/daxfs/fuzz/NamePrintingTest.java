package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.Content;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.fsck.Fsck;
import dev.daxfs.inspect.Inspect;
import dev.daxfs.mkfs.Mkdaxfs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One way to print a name, in every tool: a directory named "a\nb" holding a Latin-1 file
 * "caf\xe9" keeps every line of fsck, inspect and mkdaxfs one line, each prints the same escaped
 * path, and the path fsck prints finds the file through inspect cat.
 */
class NamePrintingTest {
  private static final byte[] DIR = {'a', '\n', 'b'};
  private static final byte[] FILE = {'c', 'a', 'f', (byte) 0xe9};
  private static final String ESCAPED_DIR = "/a\\x0ab";
  private static final String ESCAPED_FILE = "caf\\xe9";

  @TempDir Path dir;

  @Test void fsckInspectAndMkdaxfsPrintTheSameOneLineName() throws Exception {
    byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
    Node.Directory root = new Node.Directory(new byte[0], 040755, 0, 0, List.of(
        new Node.Directory(DIR, 040755, 0, 0, List.of(
            new Node.File(FILE, 0100644, 0, 0, data.length, Content.of(data))))));
    Path image = dir.resolve("names.daxfs");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    corruptPaddingAfter(image, FILE);

    // fsck: the problem names the directory by its path and the file by its name, on one line.
    Output fsck = run((out, err) -> Fsck.run(out, err, image.toString()));
    assertNotEquals(0, fsck.status);
    String problem = fsck.lineWith("non-zero bytes after");
    assertTrue(problem.contains(" " + ESCAPED_DIR + ")"), problem);
    assertTrue(problem.contains("'" + ESCAPED_FILE + "'"), problem);
    String printed = ESCAPED_DIR + "/" + ESCAPED_FILE;

    // inspect: ls prints the same names, and cat finds the file by the path fsck printed.
    Output ls = run((out, err) -> Inspect.run(out, err, "ls", "-R", "-f", image.toString(), "/"));
    assertTrue(ls.out.lines().toList().containsAll(List.of(ESCAPED_DIR + ":", ESCAPED_FILE)), ls.out);
    Output cat = run((out, err) -> Inspect.run(out, err, "cat", "-f", image.toString(), printed));
    assertEquals("hello\n", cat.out, cat.err);

    // mkdaxfs: a tar member with the same names, refused for its '..', is named the same way.
    Path tar = dir.resolve("names.tar");
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(tar), "ISO-8859-1")) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      TarArchiveEntry e = new TarArchiveEntry("a\nb/caf\u00e9/../x");
      e.setSize(0);
      t.putArchiveEntry(e);
      t.closeArchiveEntry();
    }
    Output mkdaxfs = run((out, err) -> Mkdaxfs.run(out, err, "-t", tar.toString(), "-o",
        dir.resolve("out.daxfs").toString()));
    assertNotEquals(0, mkdaxfs.status);
    String refusal = mkdaxfs.lineWith("'..'");
    assertTrue(refusal.contains(": a\\x0ab/" + ESCAPED_FILE + "/../x: "), refusal);

    for (Output o : List.of(fsck, ls, cat, mkdaxfs)) {
      assertTrue(o.err.chars().noneMatch(c -> c == '\uFFFD'), o.err);
      assertTrue((o.out + o.err).lines().noneMatch(l -> l.equals("b") || l.startsWith("b/") || l.startsWith("b'")),
          "a name's newline split a line:\n" + o.out + o.err);
    }
  }

  /** Sets a byte after the name in FILE's dirent (rule 27: the padding must be zero). */
  private static void corruptPaddingAfter(Path image, byte[] name) throws Exception {
    byte[] bytes = Files.readAllBytes(image);
    long at = -1;
    {
      BaseImage base = Image.open(ImageBytes.of(bytes)).base();
      for (int ino = 1; ino <= base.inodeCount() && at < 0; ino++) {
        if (!dev.daxfs.format.Format.isDirectory(base.inode(ino).mode())) {
          continue;
        }
        DirentArray dirents = base.dirents(base.inode(ino));
        for (long i = 0; i < dirents.count(); i++) {
          Dirent d = dirents.get(i);
          if (Arrays.equals(d.name(), name)) {
            at = d.at();
          }
        }
      }
    }
    assertTrue(at >= 0, "the dirent");
    bytes[(int) (at + dev.daxfs.format.Structs.offset(dev.daxfs.format.Structs.DIRENT, "name") + name.length + 3)] = 1;
    Files.write(image, bytes);
  }

  private record Output(int status, String out, String err) {
    String lineWith(String text) {
      return (out + err).lines().filter(l -> l.contains(text)).findFirst()
          .orElseThrow(() -> new AssertionError("no line with " + text + " in:\n" + out + err));
    }
  }

  private interface Tool {
    int run(PrintWriter out, PrintWriter err);
  }

  private static Output run(Tool tool) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      status = tool.run(o, e);
    }
    return new Output(status, out.toString(), err.toString());
  }
}
