package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnnamedFileTest {
  @TempDir Path dir;

  @Test
  void theFileHasNoNameInItsDirectory() throws IOException {
    try (FileChannel ch = UnnamedFile.create(dir, ".test-")) {
      assertEquals(List.of(), names(dir));
      writeAndReadBack(ch);
      // O_TMPFILE: the kernel shows "#INODE (deleted)"; the fallback would show its name.
      List<String> links = openFilesIn(dir);
      assertEquals(1, links.size(), links.toString());
      assertTrue(links.getFirst().matches(".*/#\\d+ \\(deleted\\)"), links.getFirst());
    }
    assertEquals(List.of(), openFilesIn(dir));
  }

  @Test
  void theFallbackNameIsGoneOnceTheFileIsOpen() throws IOException {
    try (FileChannel ch = UnnamedFile.named(dir, ".test-")) {
      assertEquals(List.of(), names(dir));
      writeAndReadBack(ch);
    }
  }

  @Test
  void aMissingDirectoryIsAnErrorNamingIt() {
    Path missing = dir.resolve("nope");
    SystemCallException e = org.junit.jupiter.api.Assertions.assertThrows(SystemCallException.class,
        () -> UnnamedFile.create(missing, ".test-"));
    assertEquals("open " + missing + ": No such file or directory", e.getMessage());
  }

  private static void writeAndReadBack(FileChannel ch) throws IOException {
    ch.write(ByteBuffer.wrap("spooled".getBytes(StandardCharsets.US_ASCII)), 4096);
    ByteBuffer back = ByteBuffer.allocate(7);
    ch.read(back, 4096);
    assertEquals("spooled", new String(back.array(), StandardCharsets.US_ASCII));
    assertEquals(4103, ch.size());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Targets of this process's descriptors that point into {@code dir}. */
  private static List<String> openFilesIn(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(dir + "/")) {
            out.add(target);
          }
        } catch (IOException e) {
          // closed meanwhile (the listing's own descriptor)
        }
      }
    }
    return out;
  }
}
