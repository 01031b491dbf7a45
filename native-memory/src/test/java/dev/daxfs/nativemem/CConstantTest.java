package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The constant table against the C headers of the machine that builds it. */
class CConstantTest {
  @TempDir Path dir;

  @Test void everyRowMatchesThisMachinesHeaders() throws Exception {
    Path gcc = List.of(Path.of("/usr/bin/gcc"), Path.of("/usr/bin/cc")).stream()
        .filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(gcc != null, () -> {
      System.out.println("SKIPPED: no C compiler to read this machine's headers with");
      return "no C compiler";
    });
    StringBuilder program = new StringBuilder("""
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <stdio.h>
        #include <sys/mman.h>
        #include <sys/stat.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        #include <linux/dma-buf.h>
        #include <linux/fs.h>
        #include <linux/dma-heap.h>
        int main(void) {
        """);
    for (CConstant c : CConstant.values()) {
      program.append("  printf(\"%lld\\n\", (long long) ").append(c.cName()).append(");\n");
    }
    program.append("  return 0;\n}\n");
    Path source = Files.writeString(dir.resolve("constants.c"), program);
    Path binary = dir.resolve("constants");
    run(List.of(gcc.toString(), "-o", binary.toString(), source.toString()));
    List<String> values = run(List.of(binary.toString()));

    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    CConstant[] all = CConstant.values();
    for (int i = 0; i < all.length; i++) {
      expected.add(all[i].cName() + " = " + values.get(i));
      actual.add(all[i].cName() + " = " + all[i].value());
    }
    assertEquals(expected, actual, "the table's column for " + Arch.current() + " against the C headers");
  }

  @Test void theFlagsThatMoveOnArm64() {
    // arch/arm64/include/uapi/asm/fcntl.h; the x86_64 column is checked against the headers above.
    assertEquals(0x8000, CConstant.O_NOFOLLOW.on(Arch.AARCH64));
    assertEquals(0x4000, CConstant.O_DIRECTORY.on(Arch.AARCH64));
    assertEquals(0x10000, CConstant.O_DIRECT.on(Arch.AARCH64));
    assertEquals(0x400000 | 0x4000, CConstant.O_TMPFILE.on(Arch.AARCH64));
    // x86_64's O_NOFOLLOW is arm64's O_LARGEFILE, which 64-bit kernels set anyway: passing it
    // there would follow a symlink without a word.
    assertNotEquals(CConstant.O_NOFOLLOW.on(Arch.X86_64), CConstant.O_NOFOLLOW.on(Arch.AARCH64));
  }

  private static List<String> run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(command + " failed:\n" + out);
    }
    return out.lines().toList();
  }
}
