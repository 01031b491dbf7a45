package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Image;
import dev.daxfs.format.Content;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ls, stat, cat, diff and extract on the fixture images (see {@link Fixture} for their content). */
class ViewCommandsTest {
  @TempDir Path dir;
  private String stat;
  private String branching;

  @BeforeEach
  void images() throws Exception {
    stat = Fixture.staticImage(dir).toString();
    branching = Fixture.branchingImage(dir).toString();
  }

  @Test
  void lsOfTheBase() {
    assertEquals("bin\nhello.txt\nlnk\n", Run.ok("ls", "-f", stat).out());
    // bin holds one dirent (144 bytes) and no subdirectory: 2 links.
    assertEquals("""
        drwxr-xr-x    2     0     0        144 bin
        -rw-r--r--    1  1000  1000          6 hello.txt
        lrwxrwxrwx    1     0     0          9 lnk -> hello.txt
        """, Run.ok("ls", "-l", "-f", stat, "/").out());
    // A branching image never changed by its main shows main's view: the base plus /notes.
    assertEquals("bin\nhello.txt\nlnk\nnotes\n", Run.ok("ls", "-f", branching).out());
  }

  @Test
  void lsOfABranchShowsWhatItsLogMeans() {
    assertEquals("""
        drwxr-xr-x    2     0     0          0 bin
        -rw-------    1  1000  1000         12 hello.txt
        drwxr-xr-x    2     0     0        144 new
        -rw-r--r--    1     0     0          1 notes
        """, Run.ok("ls", "-l", "-f", branching, "-b", "work").out());
    assertEquals("""
        /:
        bin
        hello.txt
        new
        notes

        /bin:

        /new:
        lnk2
        """, Run.ok("ls", "-R", "-f", branching, "-b", "work").out());
    assertEquals("lnk2\n", Run.ok("ls", "-f", branching, "-b", "slot:1", "/new").out());
  }

  @Test
  void statNamesWhereEachRunOfBytesComesFrom() throws Exception {
    long hello;
    long logData;
    long notesData;
    try (ImageFile f = ImageFile.open(Path.of(branching))) {
      Image img = f.image();
      // /hello.txt (inode 4) in the base; the write's data follows its 24-byte header and 16-byte payload.
      hello = img.base().start() + img.base().inode(4).dataOffset();
      logData = img.branchTable().byName("work").orElseThrow().logOffset() + 24 + 16;
      // main's log: CREATE of "notes" (24 + 24 + 5 bytes), then the WRITE of "abc".
      notesData = img.branchTable().byName("main").orElseThrow().logOffset() + 53 + 24 + 16;
    }
    assertEquals("  File: /hello.txt\n"
        + "  Size: 12           Type: regular file\n"
        + "  Mode: (0600/-rw-------)  Uid: 1000  Gid: 1000\n"
        + " Inode: 4            Links: 1\n"
        + "  Data: [0, 6) base @" + hello + "\n"
        + "  Data: [6, 12) log @" + logData + "\n", Run.ok("stat", "-f", branching, "-b", "work", "/hello.txt").out());
    assertTrue(Run.ok("stat", "-f", branching, "-b", "work", "/new/lnk2").out()
        .startsWith("  File: /new/lnk2 -> hello.txt\n  Size: 9            Type: symbolic link\n"));
    // Truncated to 1 byte: what is left is the "a" of main's write.
    assertTrue(Run.ok("stat", "-f", branching, "-b", "work", "/notes").out().endsWith("  Data: [0, 1) log @"
        + notesData + "\n"));
  }

  @Test
  void catWritesTheBytes() {
    assertArrayEquals(Fixture.n("hello\nworld\n"), Run.ok("cat", "-f", branching, "-b", "work", "/hello.txt").raw());
    assertArrayEquals(Fixture.TOOL, Run.ok("cat", "-f", stat, "/bin/tool").raw());
    assertArrayEquals(Fixture.n("abc"), Run.ok("cat", "-f", branching, "/notes").raw());
    // sha256("hello\n")
    assertEquals("{\"path\":\"/hello.txt\",\"size\":6,"
        + "\"sha256\":\"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\",\"problems\":[]}\n",
        Run.ok("cat", "--json", "-f", stat, "/hello.txt").out());
    // Through text writers, each byte arrives as one char.
    java.io.StringWriter text = new java.io.StringWriter();
    assertEquals(0, Inspect.run(new java.io.PrintWriter(text), new java.io.PrintWriter(new java.io.StringWriter()),
        "cat", "-f", stat, "/bin/tool"));
    assertEquals(new String(Fixture.TOOL, java.nio.charset.StandardCharsets.ISO_8859_1), text.toString());
    Run link = Run.of("cat", "-f", stat, "/lnk");
    assertEquals(1, link.status());
    assertEquals("daxfs-inspect: /lnk: not a regular file (symbolic link to hello.txt; links are not followed)\n",
        link.err());
    Run missing = Run.of("cat", "-f", stat, "/nope");
    assertEquals(1, missing.status());
    assertEquals("daxfs-inspect: /nope: no such file or directory\n", missing.err());
  }

  @Test
  void diffAgainstTheBaseAndBetweenBranches() {
    assertEquals("""
        --- base
        +++ work
        D /bin/tool
        M /hello.txt (mode 0644 -> 0600, size 6 -> 12)
        D /lnk
        A /new
        A /new/lnk2
        A /notes
        """, Run.of("diff", "-f", branching, "-b", "work").out());
    assertEquals(DiffCommand.DIFFERENT, Run.of("diff", "-f", branching, "-b", "work").status());
    assertEquals("""
        --- main
        +++ work
        D /bin/tool
        M /hello.txt (mode 0644 -> 0600, size 6 -> 12)
        D /lnk
        A /new
        A /new/lnk2
        M /notes (size 3 -> 1)
        """, Run.of("diff", "-f", branching, "-b", "main", "-b", "work").out());
    assertEquals("no branches (a static image, or none made yet): the base is the only view\n",
        Run.ok("diff", "-f", stat).out());
    assertEquals("--- work\n+++ work\n", Run.ok("diff", "-f", branching, "-b", "work", "-b", "work").out());
  }

  @Test
  void extractNeverLeavesItsDirectory() throws Exception {
    byte[] b = Files.readAllBytes(Path.of(stat));
    long at;
    try (ImageFile f = ImageFile.open(Path.of(stat))) {
      at = f.image().base().dirents(f.image().base().inode(1)).get(1).at();  // "hello.txt"
    }
    // Rename the dirent to "..": name_len 2, name "..".
    int nameLen = (int) (at + dev.daxfs.format.Structs.offset(dev.daxfs.format.Structs.DIRENT, "name_len"));
    int name = (int) (at + dev.daxfs.format.Structs.offset(dev.daxfs.format.Structs.DIRENT, "name"));
    b[nameLen] = 2;
    b[name] = '.';
    b[name + 1] = '.';
    Path hostile = Files.write(dir.resolve("dotdot.img"), b);
    Path out = dir.resolve("sub").resolve("out");
    Run r = Run.of("extract", "-f", hostile.toString(), out.toString());
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("name '..'; left out"), r::toString);
    try (var all = Files.walk(dir.resolve("sub"))) {
      assertEquals(List.of("sub", "sub/out", "sub/out/bin", "sub/out/bin/tool", "sub/out/lnk"),
          all.map(p -> dir.relativize(p).toString()).sorted().toList());
    }
  }

  @Test
  void extractWritesTheTreeWithoutFollowingLinks() throws Exception {
    Path out = dir.resolve("out");
    assertEquals(out + ": 3 directories, 2 files (13 bytes), 1 symlink\n",
        Run.ok("extract", "-f", branching, "-b", "work", out.toString()).out());
    assertArrayEquals(Fixture.n("hello\nworld\n"), Files.readAllBytes(out.resolve("hello.txt")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("hello.txt"))));
    assertEquals(Path.of("hello.txt"), Files.readSymbolicLink(out.resolve("new/lnk2")));
    assertArrayEquals(Fixture.n("a"), Files.readAllBytes(out.resolve("notes")));
    assertFalse(Files.exists(out.resolve("bin/tool")));
    // A directory that is not empty is refused, so nothing is ever written through what is there.
    Path busy = dir.resolve("busy");
    Files.createDirectory(busy);
    Files.createSymbolicLink(busy.resolve("hello.txt"), dir.resolve("victim"));
    Run r = Run.of("extract", "-f", stat, busy.toString());
    assertEquals(1, r.status());
    assertEquals("daxfs-inspect: " + busy + ": not empty\n", r.err());
    assertFalse(Files.exists(dir.resolve("victim"), LinkOption.NOFOLLOW_LINKS));
  }

  /** Names and link targets are bytes, not UTF-8: each is created as the bytes the image holds. */
  @Test
  void extractWritesNamesAsTheirBytes() throws Exception {
    byte[] file = {'n', (byte) 0xff, 'x'};
    byte[] directory = {(byte) 0xc3, '('};  // an invalid UTF-8 sequence
    byte[] target = {'t', (byte) 0xfe};
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Directory(directory, 0750, 0, 0, List.of(
            new Node.File(file, 0640, 0, 0, 4, Content.of(Fixture.n("data"))),
            new Node.Symlink(Fixture.n("link"), 0777, 0, 0, target)))));
    Path image = dir.resolve("bytes.img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    // ls prints bytes that are not UTF-8 as \xNN, so that different names never print alike.
    assertEquals("""
        /:
        \\xc3(

        /\\xc3(:
        link
        n\\xffx
        """, Run.ok("ls", "-R", "-f", image.toString()).out());
    // ... and reads a path typed that way back as those bytes.
    assertEquals("lrwxrwxrwx    1     0     0          2 /\\xc3(/link -> t\\xfe\n",
        Run.ok("ls", "-l", "-f", image.toString(), "/\\xc3(/link").out());
    Path out = dir.resolve("out");
    Run.ok("extract", "-f", image.toString(), out.toString());
    // find prints names and targets as the bytes the file system holds, where Java would decode them.
    assertArrayEquals(concat(directory, Fixture.n("\0"), directory, Fixture.n("/link\0"), directory, Fixture.n("/"),
        file, Fixture.n("\0")), find(out, "-mindepth", "1", "-printf", "%P\\0"));
    assertArrayEquals(concat(target, Fixture.n("\0")), find(out, "-type", "l", "-printf", "%l\\0"));
    assertArrayEquals(Fixture.n("data 640\n"), find(out, "-type", "f", "-printf", "", "-exec", "sh", "-c",
        "printf '%s ' \"$(cat \"$1\")\"; stat -c %a \"$1\"", "sh", "{}", ";"));
  }

  /** What find(1) prints about {@code root}, sorted by path, as bytes. */
  private static byte[] find(Path root, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("find", root.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), () -> new String(output));
    // find lists in directory order: sort the NUL-terminated records to compare them.
    List<byte[]> records = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < output.length; i++) {
      if (output[i] == 0) {
        records.add(java.util.Arrays.copyOfRange(output, start, i + 1));
        start = i + 1;
      }
    }
    if (start < output.length) {
      records.add(java.util.Arrays.copyOfRange(output, start, output.length));
    }
    records.sort(java.util.Arrays::compareUnsigned);
    return concat(records.toArray(byte[][]::new));
  }

  private static byte[] concat(byte[]... parts) {
    var b = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
