package dev.daxfs.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a refused or interrupted write must not change in a directory: each name with its mode,
 * inode, device number and, for a file, its contents, for a symlink, its target.
 */
public final class DirectorySnapshot {
  private DirectorySnapshot() {}

  public static Map<String, String> of(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,rdev", LinkOption.NOFOLLOW_LINKS);
        String v = Integer.toOctalString((Integer) a.get("mode")) + " ino " + a.get("ino") + " rdev " + a.get("rdev");
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          v += " " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } else if (Files.isSymbolicLink(p)) {
          v += " -> " + Files.readSymbolicLink(p);
        }
        m.put(p.getFileName().toString(), v);
      }
    }
    return m;
  }
}
