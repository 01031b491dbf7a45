package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageFile;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Replay;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A tree written by the project's own writer, mounted, read back through the kernel. */
class SourceTreeMountTest {
  @TempDir static Path dir;
  static Path source;
  static Path image;

  @BeforeAll static void build() throws Exception {
    Mount.requireFuse();
    source = Files.createDirectory(dir.resolve("source"));
    SourceTree.create(source);
    image = dir.resolve("tree.daxfs");
    ImageWriter.write(ImageLayout.plan(SourceTree.read(source), ImageSpec.staticImage()), image,
        ImageWriter.Progress.NONE);
  }

  @Test void theMountShowsTheSourceTreeByteForByteAndStatForStat() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt-compare"));
    try (Mount m = Mount.start(mnt, image.toString(), mnt.toString())) {
      assertTrue(m.mounted(), m.output());
      Map<String, Snapshot.Entry> mounted = Snapshot.of(mnt);
      Map<String, Snapshot.Entry> src = Snapshot.of(source);
      // The root's own mode and owner are the source directory's; compare everything below it.
      src.remove("/");
      Map<String, Snapshot.Entry> below = new java.util.TreeMap<>(mounted);
      below.remove("/");
      assertEquals("", Snapshot.diff(Snapshot.portable(src), Snapshot.portable(below)));
      assertTrue(src.size() > 30, "the tree has " + src.size() + " nodes");
      // Inode numbers and directory sizes: as the image has them (what daxfs-inspect shows).
      try (ImageFile f = ImageFile.open(image)) {
        assertEquals("", Snapshot.diff(Snapshot.of(Replay.base(f.image(), p -> { })), mounted));
      }
      m.unmount();
    }
  }

  @Test void writesFailWithErofsAndXattrsAreAbsent() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt-erofs"));
    try (Mount m = Mount.start(mnt, image.toString(), mnt.toString())) {
      assertTrue(m.mounted(), m.output());
      Path file = mnt.resolve("plain.txt");
      List<Executable> writes = List.of(
          () -> Files.createFile(mnt.resolve("new")),
          () -> Files.createDirectory(mnt.resolve("newdir")),
          () -> Files.delete(file),
          () -> Files.move(file, mnt.resolve("moved")),
          () -> Files.createSymbolicLink(mnt.resolve("sl"), file),
          () -> Files.write(file, new byte[] {1}, StandardOpenOption.APPEND),
          () -> FileChannel.open(file, StandardOpenOption.WRITE).close(),
          () -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx")),
          () -> Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root")),
          () -> Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).write("x", ByteBuffer.allocate(1)));
      for (Executable w : writes) {
        FileSystemException e = assertThrows(FileSystemException.class, w);
        assertTrue(String.valueOf(e.getMessage()).contains("Read-only file system"), e.toString());
      }
      UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      assertEquals(List.of(), xattrs.list());
      FileSystemException e = assertThrows(FileSystemException.class, () -> xattrs.size("user.any"));
      assertTrue(String.valueOf(e.getMessage()).contains("No data available"), e.toString());
      assertTrue(Files.getFileStore(mnt).isReadOnly());
      assertEquals("hello\n", Files.readString(file));
      m.unmount();
    }
  }

  @Test void sigintOfAForegroundMountUnmountsAndLeavesNothing() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt-sigint"));
    try (Mount m = Mount.start(mnt, image.toString(), mnt.toString())) {
      assertTrue(m.mounted(), m.output());
      assertEquals(6, Files.readAllBytes(mnt.resolve("plain.txt")).length);
      // The child is env, which exec'd the JVM: same pid.
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(m.process.pid())).start().waitFor());
      assertEquals(130, m.exitCode(), m.output());
      assertFalse(m.mounted(), "still mounted after SIGINT");
      assertFalse(m.output().contains("Exception"), m.output());
    }
  }

  @Test void usageErrorsMountNothing() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt-usage"));
    for (String[] args : List.of(new String[] {image.toString(), mnt.toString(), "-o", "rw"},
        new String[] {image.toString(), mnt.toString(), "-b", "nope"},
        new String[] {image.toString(), mnt.resolve("missing").toString()},
        new String[] {mnt.toString()})) {
      try (Mount m = Mount.start(mnt, args)) {
        assertEquals(1, m.exitCode(), m.output());
        assertTrue(m.output().startsWith("daxfsfuse: "), m.output());
      }
    }
  }
}
