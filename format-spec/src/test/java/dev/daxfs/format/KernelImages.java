package dev.daxfs.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The images the real v3 kernel wrote (in the shared folder beside the repository) and the
 * listings it showed for them.
 */
public final class KernelImages {
  private KernelImages() {}

  /** The kernel-images folder, found by walking up from the working directory; skips the test if absent. */
  public static Path dir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path k = d.resolve("shared").resolve("kernel-images");
      if (Files.isDirectory(k)) {
        return k;
      }
    }
    System.out.println("SKIPPED: no shared/kernel-images folder beside the repository");
    Assumptions.abort("no shared/kernel-images folder beside the repository");
    return null;
  }

  /** The uncompressed image {@code name}. */
  public static byte[] image(String name) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve(name + ".daxfs.gz")))) {
      return in.readAllBytes();
    }
  }

  /** The listing lines of each "[view NAME]" section of {@code name}.expect.txt. */
  public static Map<String, List<String>> views(String name) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : Files.readAllLines(dir().resolve(name + ".expect.txt"))) {
      if (line.startsWith("[view ")) {
        current = new ArrayList<>();
        out.put(line.substring(6, line.length() - 1), current);
      } else if (line.startsWith("[")) {
        current = null;
      } else if (current != null && !line.isBlank()) {
        current.add(line);
      }
    }
    return out;
  }
}
