package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.DirectorySnapshot;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs replaced whole or not at all, through symlinks, never over a node that is not a file. */
class OutputFileTest {
  @TempDir Path dir;

  @AfterEach void backToTmpfile() {
    OutputFile.noTmpfile = false;
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void write(OutputFile f, String text) throws IOException {
    f.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
  }

  private static Path mkfifo(Path p) throws Exception {
    Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, proc.waitFor());
    return p;
  }

  private static Path mknod(Path p, String type, int major, int minor) throws Exception {
    Process proc = new ProcessBuilder("mknod", p.toString(), type, "" + major, "" + minor).inheritIO().start();
    assertEquals(0, proc.waitFor());
    return p;
  }

  @Test void aNewOutputAppearsOnlyWhenCommittedAndHasNoNameBefore() throws Exception {
    Path out = dir.resolve("img");
    try (OutputFile f = OutputFile.create(out, 0644)) {
      write(f, "new image");
      assertEquals(Map.of(), DirectorySnapshot.of(dir), "an O_TMPFILE has no name while it is written");
      f.commit();
    }
    assertEquals("new image", Files.readString(out));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    assertEquals(List.of("img"), List.copyOf(DirectorySnapshot.of(dir).keySet()));
  }

  @Test void closedWithoutCommitTheOldOutputStaysAndNothingIsLeft() throws Exception {
    for (boolean named : new boolean[] {false, true}) {
      OutputFile.noTmpfile = named;
      Path out = Files.writeString(dir.resolve("img"), "previous image");
      Map<String, String> before = DirectorySnapshot.of(dir);
      try (OutputFile f = OutputFile.create(out, 0644)) {
        write(f, "half an ima");
        assertEquals(named ? 2 : 1, DirectorySnapshot.of(dir).size(), "named fallback: " + named);
      }
      assertEquals(before, DirectorySnapshot.of(dir), "named fallback: " + named);
    }
  }

  @Test void theNamedFallbackReplacesTheOutputToo() throws Exception {
    OutputFile.noTmpfile = true;
    Path out = Files.writeString(dir.resolve("img"), "previous image");
    try (OutputFile f = OutputFile.create(out, 0600)) {
      write(f, "new");
      f.commit();
    }
    assertEquals("new", Files.readString(out));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    assertEquals(List.of("img"), List.copyOf(DirectorySnapshot.of(dir).keySet()));
  }

  @Test void aSymlinkIsWrittenThroughAndStays() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path target = Files.writeString(real.resolve("image"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("real/image"));
    Path chain = Files.createSymbolicLink(dir.resolve("chain"), Path.of("link"));
    try (OutputFile f = OutputFile.create(chain, 0644)) {
      assertEquals(target, f.target());
      write(f, "new");
      f.commit();
    }
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.isSymbolicLink(chain));
    assertEquals("new", Files.readString(target));
    // A dangling link: the file it names is created, as a shell's > does.
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("real/created"));
    try (OutputFile f = OutputFile.create(dangling, 0644)) {
      write(f, "made");
      f.commit();
    }
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals("made", Files.readString(real.resolve("created")));
  }

  @Test void everyExistingNodeThatIsNotARegularFileIsRefusedAndKept() throws Exception {
    Path fifo = mkfifo(dir.resolve("fifo"));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path sock = dir.resolve("sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      Map<Path, String> kinds = new java.util.LinkedHashMap<>(Map.of(fifo, "FIFO", sub, "directory", sock, "socket"));
      if (root()) {
        kinds.put(mknod(dir.resolve("null"), "c", 1, 3), "character device");
        kinds.put(mknod(dir.resolve("loop"), "b", 7, 200), "block device");
        kinds.put(mknod(dir.resolve("dax0.0"), "c", 1, 3), "character device");
      } else {
        System.err.println("SKIPPED: device nodes as outputs need root for mknod; FIFO, socket and directory tested");
      }
      Path toFifo = Files.createSymbolicLink(dir.resolve("to-fifo"), fifo.getFileName());
      kinds.put(toFifo, "FIFO");
      Map<String, String> before = DirectorySnapshot.of(dir);
      for (var k : kinds.entrySet()) {
        IOException e = assertThrows(IOException.class, () -> OutputFile.create(k.getKey(), 0644));
        assertTrue(e.getMessage().startsWith(k.getKey() + ": is a " + (k.getKey() == toFifo ? "symlink to " + fifo
            + ", a " : "") + k.getValue() + ", not a regular file"), e.getMessage());
        assertEquals(k.getKey().endsWith("dax0.0"), e.getMessage().contains("use mkdaxfs --devdax"), e.getMessage());
      }
      assertEquals(before, DirectorySnapshot.of(dir));
    }
  }

  @Test void aNodeSwappedInBeforeTheRenameIsNotReplaced() throws Exception {
    Path out = dir.resolve("img");
    try (OutputFile f = OutputFile.create(out, 0644)) {
      write(f, "new");
      mkfifo(out);
      assertThrows(IOException.class, f::commit);
    }
    assertEquals(List.of("img"), List.copyOf(DirectorySnapshot.of(dir).keySet()));
    assertFalse(Files.isRegularFile(out));
  }

  @Test void aMissingDirectoryAndAnEmptyPathAreRefused() {
    IOException e = assertThrows(IOException.class, () -> OutputFile.create(dir.resolve("no/img"), 0644));
    assertEquals(dir.resolve("no/img") + ": no such directory " + dir.resolve("no"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OutputFile.resolve(Path.of("")));
  }

  @Test void aRewriteKeepsOwnerGroupAndMode() throws Exception {
    if (!root()) {
      System.err.println("SKIPPED: giving an image to uid 1000 needs root");
    }
    assumeTrue(root(), "SKIPPED: giving an image to uid 1000 needs root");
    Path image = Files.writeString(dir.resolve("image"), "old");
    Files.setAttribute(image, "unix:uid", 1000);
    Files.setAttribute(image, "unix:gid", 1000);
    Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), image.getFileName());
    try (OutputFile f = OutputFile.rewrite(link)) {
      write(f, "new");
      f.commit();
    }
    assertEquals("new", Files.readString(image));
    assertTrue(Files.isSymbolicLink(link));
    Map<String, Object> a = Files.readAttributes(image, "unix:uid,gid,mode");
    assertEquals(1000, a.get("uid"));
    assertEquals(1000, a.get("gid"));
    assertEquals(0100640, a.get("mode"));
  }

  // The image writer into an OutputFile: a failed write leaves the old image and nothing else.

  private static Node.Directory treeWith(Node.File file) {
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(file));
  }

  private static void writeImage(Node.Directory tree, Path out) throws IOException {
    try (OutputFile f = OutputFile.create(out, 0644)) {
      ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), f.channel(), ImageWriter.Progress.NONE);
      f.commit();
    }
  }

  @Test void aSourceGrowingWhileWrittenLeavesNothing() throws Exception {
    Path src = Files.writeString(dir.resolve("src"), "x".repeat(10_000));
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Content growing = (sink, position, size) -> {
      Files.writeString(src, "more", StandardOpenOption.APPEND);   // someone appends meanwhile
      Content.of(src).copyTo(sink, position, size);
    };
    Node.Directory tree = treeWith(new Node.File(Node.name("f"), 0644, 0, 0, 10_000, growing));
    IOException e = assertThrows(IOException.class, () -> writeImage(tree, outDir.resolve("img")));
    assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    assertEquals(Map.of(), DirectorySnapshot.of(outDir));
  }

  @Test void aSourceShrunkSinceTheScanLeavesNothingAndKeepsTheOldImage() throws Exception {
    Path src = Files.writeString(dir.resolve("src"), "short");
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Files.writeString(outDir.resolve("img"), "previous image");
    Map<String, String> before = DirectorySnapshot.of(outDir);
    Node.Directory tree = treeWith(new Node.File(Node.name("f"), 0644, 0, 0, 9000, Content.of(src)));
    assertThrows(IOException.class, () -> writeImage(tree, outDir.resolve("img")));
    assertEquals(before, DirectorySnapshot.of(outDir));
  }

  @Test void aReadOnlyDirectoryIsRefusedBeforeAnythingIsWritten() throws Exception {
    if (root()) {
      System.err.println("SKIPPED: running as root, a read-only directory is still writable");
    }
    assumeTrue(!root(), "SKIPPED: running as root, a read-only directory is still writable");
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      IOException e = assertThrows(IOException.class, () -> OutputFile.create(ro.resolve("img"), 0644));
      assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
      assertEquals(Map.of(), DirectorySnapshot.of(ro));
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
