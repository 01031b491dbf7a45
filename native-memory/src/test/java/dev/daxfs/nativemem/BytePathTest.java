package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files made by byte names on the host's file system, read back through java.nio where the name allows. */
class BytePathTest {
  @TempDir Path dir;

  @Test void aNewFileIsWrittenAtOffsetsAndSizedWithAHole() throws Exception {
    BytePath file = BytePath.of(dir).resolve("f".getBytes());
    try (BytePath.NewFile f = file.create()) {
      f.write(MemorySegment.ofArray("abc".getBytes()), 4);
      f.setSize(10);
      f.chmod(0640);
    }
    assertArrayEquals(new byte[] {0, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0}, Files.readAllBytes(dir.resolve("f")));
    assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("f"))));
    SystemCallException again = assertThrows(SystemCallException.class, file::create);
    assertEquals(Errno.EEXIST, again.errno());
    assertEquals("open " + dir + "/f: File exists", again.getMessage());
  }

  @Test void aCreatedFileIsNeverReachedThroughASymlink() throws Exception {
    BytePath link = BytePath.of(dir).resolve("link".getBytes());
    link.symlink("victim".getBytes());
    assertEquals(Path.of("victim"), Files.readSymbolicLink(dir.resolve("link")));
    assertThrows(SystemCallException.class, link::create);
    assertEquals(false, Files.exists(dir.resolve("victim")));
  }

  @Test void aNameIsOneComponent() {
    BytePath root = BytePath.of(dir);
    assertThrows(IllegalArgumentException.class, () -> root.resolve("a/b".getBytes()));
    assertThrows(IllegalArgumentException.class, () -> root.resolve(new byte[] {'a', 0}));
    assertEquals(dir + "/n\\xffx\\x0a", root.resolve(new byte[] {'n', (byte) 0xff, 'x', '\n'}).toString());
  }
}
