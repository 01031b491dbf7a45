package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On an architecture without ioctl numbers and struct layouts, mkdaxfs says so in one line. */
class UnsupportedArchitectureTest {
  @TempDir Path tmp;

  @Test void saysSoInOneLineAndWritesNothing() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tree.resolve("hello.txt"), "hello\n");
    Path out = Files.createDirectories(tmp.resolve("out"));
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-Dos.arch=riscv64", "-cp", System.getProperty("java.class.path"),
        Mkdaxfs.class.getName(), "-d", tree.toString(), "-o", out.resolve("x.daxfs").toString()));
    Path stderr = tmp.resolve("stderr");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int code = p.waitFor();
    assertEquals(Mkdaxfs.OUTPUT, code, () -> stderr.toFile().exists() ? "stderr: " + read(stderr) : "");
    assertEquals("mkdaxfs: this machine's architecture riscv64 is not supported (x86_64 and aarch64 are)\n",
        Files.readString(stderr));
    try (var left = Files.list(out)) {
      assertEquals(List.of(), left.toList());
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
