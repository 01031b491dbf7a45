package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.KernelImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/** Every image the real v3 kernel wrote (the shared kernel-images folder) is accepted. */
public class KernelImagesTest {
  /** Every image in the folder, so one added later is checked too. */
  public static List<String> images() throws IOException {
    Path k;
    try {
      k = KernelImages.dir();
    } catch (TestAbortedException e) {
      return List.of("(none)");   // the test itself then reports SKIPPED
    }
    try (Stream<Path> s = Files.list(k)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".daxfs.gz"))
          .map(n -> n.substring(0, n.length() - ".daxfs.gz".length())).sorted().toList();
    }
  }

  @ParameterizedTest @MethodSource("images")
  void accepted(String name) throws IOException {
    byte[] bytes = KernelImages.image(name);
    Report r = Validator.check(ImageBytes.of(bytes), Options.of(bytes.length));
    assertEquals(0, r.errors(), r.problems()::toString);
  }

  /**
   * The warnings are the kernel's bookkeeping, as the .expect.txt headers show it: with feature
   * active, main's refcount stays 1 while feature holds 3 (rule 40); every main starts at
   * next_local_ino 2, below the base's 12 inodes (rule 43); after the remount a second ACTIVE main
   * with id 1 (39), active_branches 1 for 2 ACTIVE records (41) and next_branch_id 2 (42).
   */
  @ParameterizedTest
  @CsvSource({"base-input,", "child-active,40 43", "child-commit,43", "remount-after-umount,39 41 42 43"})
  void warningsAreTheKernelsBookkeeping(String name, String rules) throws IOException {
    byte[] bytes = KernelImages.image(name);
    Report r = Validator.check(ImageBytes.of(bytes), Options.of(bytes.length));
    assertEquals(0, r.errors(), r.problems()::toString);
    assertEquals(rules == null ? "" : rules, r.problems().stream().map(p -> String.valueOf(p.rule().number()))
        .distinct().sorted().collect(Collectors.joining(" ")));
  }
}
