package dev.daxfs.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One finished process: its exit code and both output streams. */
record Run(int exit, String out, String err) {

  /** Runs {@code command} in {@code dir} with exactly {@code env} as its environment. */
  static Run of(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("run", ".out");
    Path err = Files.createTempFile("run", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A shell command line, for what only a shell does (PATH lookup of the child's PATH). */
  static Run sh(Path dir, Map<String, String> env, String script) throws IOException, InterruptedException {
    return of(dir, env, List.of("/bin/sh", "-c", script));
  }

  @Override public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
