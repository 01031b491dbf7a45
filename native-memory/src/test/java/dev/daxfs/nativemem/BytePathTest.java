package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made by byte names on the host's file system, through an open directory, read back
 * through java.nio where the name allows.
 */
class BytePathTest {
  @TempDir Path dir;

  @Test void aNewFileIsWrittenAtOffsetsAndSizedWithAHole() throws Exception {
    OpenDirectory d = OpenDirectory.open(BytePath.of(dir));
    try (d; BytePath.NewFile f = d.create("f".getBytes())) {
      f.write(MemorySegment.ofArray("abc".getBytes()), 4);
      f.setSize(10);
      f.chmod(0640);
    }
    assertArrayEquals(new byte[] {0, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0}, Files.readAllBytes(dir.resolve("f")));
    assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("f"))));
    try (OpenDirectory again = OpenDirectory.open(BytePath.of(dir))) {
      SystemCallException e = assertThrows(SystemCallException.class, () -> again.create("f".getBytes()));
      assertEquals(Errno.EEXIST, e.errno());
      assertEquals("openat " + dir + "/f: File exists", e.getMessage());
    }
  }

  @Test void nothingIsEverReachedThroughASymlink() throws Exception {
    Files.createDirectory(dir.resolve("elsewhere"));
    try (OpenDirectory d = OpenDirectory.open(BytePath.of(dir))) {
      d.symlink("link".getBytes(), "victim".getBytes());
      assertEquals(Path.of("victim"), Files.readSymbolicLink(dir.resolve("link")));
      assertThrows(SystemCallException.class, () -> d.create("link".getBytes()));
      assertEquals(false, Files.exists(dir.resolve("victim")));
      d.symlink("dirlink".getBytes(), "elsewhere".getBytes());
      SystemCallException e = assertThrows(SystemCallException.class, () -> d.directory("dirlink".getBytes()));
      // ENOTDIR: with O_DIRECTORY|O_NOFOLLOW the kernel refuses a symlink as "not a directory" (ELOOP alone).
      assertEquals(20, e.errno(), e.getMessage());
      assertThrows(SystemCallException.class, () -> d.openFile("link".getBytes()));
    }
    assertThrows(SystemCallException.class, () -> OpenDirectory.open(BytePath.of(dir.resolve("dirlink"))));
  }

  @Test void aFifoIsOpenedWithoutBlockingAndSaysWhatItIs() throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("p").toString()).inheritIO().start().waitFor());
    try (OpenDirectory d = OpenDirectory.open(BytePath.of(dir)); InputFile f = d.openFile("p".getBytes())) {
      assertEquals(FileType.FIFO, f.type());
    }
    InputFile.WrongTypeException e = assertThrows(InputFile.WrongTypeException.class,
        () -> InputFile.open(dir.resolve("p"), "a key file", false));
    assertEquals(dir.resolve("p") + ": is a FIFO, not a key file", e.getMessage());
  }

  @Test void readsAreBoundedByTheBytesRead() throws Exception {
    Files.write(dir.resolve("big"), new byte[100_000]);
    try (InputFile f = InputFile.open(dir.resolve("big"), "a key file", false)) {
      assertEquals(1001, f.readAtMost(1000).length);
    }
  }

  @Test void aNameIsOneComponent() {
    BytePath root = BytePath.of(dir);
    assertThrows(IllegalArgumentException.class, () -> root.resolve("a/b".getBytes()));
    assertThrows(IllegalArgumentException.class, () -> root.resolve(new byte[] {'a', 0}));
    assertEquals(dir + "/n\\xffx\\x0a", root.resolve(new byte[] {'n', (byte) 0xff, 'x', '\n'}).toString());
  }
}
