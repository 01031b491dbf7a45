package dev.daxfs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc/self/mountinfo says is mounted. */
final class Mounts {
  private Mounts() {}

  /** True when a daxfsfuse file system (type fuse.daxfs) is mounted at {@code dir}. */
  static boolean isDaxfsMount(Path dir) throws IOException {
    String want = escape(dir.toRealPath().toString());
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1)) {
      String[] f = line.split(" ");
      int dash = line.indexOf(" - ");
      if (f.length > 4 && f[4].equals(want) && dash > 0 && line.startsWith("fuse.daxfs ", dash + 3)) {
        return true;
      }
    }
    return false;
  }

  /** mountinfo's escaping of a path: space, tab, newline and backslash as octal. */
  private static String escape(String path) {
    StringBuilder sb = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      sb.append(c == ' ' || c == '\t' || c == '\n' || c == '\\' ? String.format("\\%03o", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
