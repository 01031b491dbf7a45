package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coming back up through "..": the parent must be the directory that was left. */
class OpenDirectoryTest {
  @TempDir Path tmp;

  @Test void parentIsTheDirectoryLeft() throws Exception {
    Files.createDirectories(tmp.resolve("a/b"));
    try (OpenDirectory a = OpenDirectory.open(BytePath.of(tmp.resolve("a")));
         OpenDirectory b = a.directory(bytes("b"))) {
      OpenDirectory.Identity left = a.identity();
      try (OpenDirectory up = b.parent(left, tmp.resolve("a").toString())) {
        assertEquals(left, up.identity());
        assertEquals(tmp.resolve("a").toString(), up.toString());
      }
    }
  }

  @Test void aDirectoryMovedElsewhereIsRefused() throws Exception {
    Files.createDirectories(tmp.resolve("a/b"));
    Files.createDirectories(tmp.resolve("c"));
    try (OpenDirectory a = OpenDirectory.open(BytePath.of(tmp.resolve("a")));
         OpenDirectory b = a.directory(bytes("b"))) {
      OpenDirectory.Identity left = a.identity();
      // Someone else moves b while it is being filled: ".." is now c.
      Files.move(tmp.resolve("a/b"), tmp.resolve("c/b"));
      IOException e = assertThrows(IOException.class, () -> b.parent(left, tmp.resolve("a").toString()));
      assertTrue(e.getMessage().contains("moved elsewhere while it was being written"), e.getMessage());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
