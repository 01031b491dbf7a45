package dev.daxfs.mkfs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One mkdaxfs run in this JVM, with what it printed. */
record Run(int code, String out, String err) {
  static Run of(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] a = Stream.of(args).map(String::valueOf).toArray(String[]::new);
    int code = Mkdaxfs.run(new PrintWriter(out, true), new PrintWriter(err, true), a);
    return new Run(code, out.toString(), err.toString());
  }

  /** The names in {@code dir}: a failed run must leave no image and no temporary file there. */
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Runs a command to completion, failing the test if it fails. */
  static void exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }
  }

  /** True if {@code command} runs; otherwise says loudly that the caller's test is skipped. */
  static boolean available(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return true;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    System.err.println("SKIPPED: " + String.join(" ", command) + " is not available");
    return false;
  }
}
