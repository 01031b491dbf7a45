package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every image the real v3 kernel wrote (the shared kernel-images folder) is accepted. */
class KernelImagesTest {
  @TempDir static Path dir;

  /** The shared folder sits beside the repository: walk up from the module until it is found. */
  static Path kernelImages() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path k = d.resolve("shared/kernel-images");
      if (Files.isDirectory(k)) {
        return k;
      }
    }
    return null;
  }

  static List<String> images() throws IOException {
    Path k = kernelImages();
    if (k == null) {
      System.err.println("SKIPPED: no shared/kernel-images beside the repository; kernel images not checked");
      return List.of("(none)");
    }
    try (Stream<Path> s = Files.list(k)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".daxfs.gz")).sorted().toList();
    }
  }

  @ParameterizedTest @MethodSource("images")
  void accepted(String name) throws IOException {
    assumeTrue(kernelImages() != null, "SKIPPED: no shared/kernel-images beside the repository");
    Path image = dir.resolve(name.replace(".gz", ""));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(kernelImages().resolve(name)))) {
      Files.copy(in, image);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fsck.run(new PrintWriter(out), new PrintWriter(err), image.toString());
    assertEquals(0, code, () -> out + "" + err);
    assertTrue(out.toString().contains(": valid (0 errors"), out::toString);
  }

  /**
   * The warnings are the kernel's bookkeeping, as the .expect.txt headers show it: with feature
   * active, main's refcount stays 1 while feature holds 3 (rule 40); every main starts at
   * next_local_ino 2, below the base's 12 inodes (rule 43); after the remount a second ACTIVE main
   * with id 1 (39), active_branches 1 for 2 ACTIVE records (41) and next_branch_id 2 (42).
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "base-input,", "child-active,40 43", "child-commit,43", "remount-after-umount,39 41 42 43"})
  void warningsAreTheKernelsBookkeeping(String name, String rules) throws IOException {
    assumeTrue(kernelImages() != null, "SKIPPED: no shared/kernel-images beside the repository");
    byte[] bytes;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(kernelImages().resolve(name + ".daxfs.gz")))) {
      bytes = in.readAllBytes();
    }
    Report r = Validator.check(dev.daxfs.format.ImageBytes.of(bytes), Options.of(bytes.length));
    assertEquals(0, r.errors(), r.problems()::toString);
    assertEquals(rules == null ? "" : rules, r.problems().stream().map(p -> String.valueOf(p.rule().number()))
        .distinct().sorted().collect(java.util.stream.Collectors.joining(" ")));
  }
}
