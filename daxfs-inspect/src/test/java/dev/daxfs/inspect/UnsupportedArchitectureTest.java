package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On an architecture without ioctl numbers and struct layouts, daxfs-inspect says so in one line. */
class UnsupportedArchitectureTest {
  @TempDir Path tmp;

  @Test void saysSoInOneLine() throws Exception {
    Path image = Files.write(tmp.resolve("x.daxfs"), new byte[8192]);
    Path stderr = tmp.resolve("stderr");
    Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-Dos.arch=riscv64", "-cp", System.getProperty("java.class.path"),
        Inspect.class.getName(), "ls", "-f", image.toString()))
        .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int code = p.waitFor();
    assertEquals(ImageCommand.OUTPUT, code, () -> stderr.toFile().exists() ? "stderr: " + read(stderr) : "");
    assertEquals("daxfs-inspect: this machine's architecture riscv64 is not supported (x86_64 and aarch64 are)\n",
        Files.readString(stderr));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
