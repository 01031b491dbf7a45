package dev.daxfs.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/** The source tree these tests run in: Maven starts them in the module directory. */
final class Repo {
  private Repo() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bin/launch")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no bin/launch above " + dir);
  }

  static Path bin(String tool) {
    return root().resolve("bin").resolve(tool);
  }
}
