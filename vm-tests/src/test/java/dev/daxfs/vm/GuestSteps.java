package dev.daxfs.vm;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs in the guest: reads steps ("NAME TOOL ARGS...", TOOL one of mkdaxfs, daxfs-fsck,
 * daxfs-inspect or sh) from stdin and runs them all in this one JVM, because each JVM start costs
 * many seconds under emulation. Prints each step's command, output and exit code between the
 * markers {@link GuestConsole} parses. "NAME with-daxfs TOOL ARGS..." runs only when the kernel has
 * the daxfs filesystem, and otherwise says so loudly and exits with {@link #SKIPPED}.
 */
final class GuestSteps {
  static final int SKIPPED = 77;
  static final String NO_MODULE = "SKIPPED: no daxfs module supplied (DAXFS_KO)";

  private GuestSteps() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    BufferedReader steps = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream console = System.out;
    for (String line = steps.readLine(); line != null; line = steps.readLine()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.strip().split("\\s+");
      console.println("=== STEP " + words[0]);
      console.println("$ " + line.strip().substring(words[0].length()).strip());
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int first = words[1].equals("with-daxfs") ? 2 : 1;
      int exit;
      if (first == 2 && !Files.readString(Path.of("/proc/filesystems")).contains("\tdaxfs\n")) {
        output.writeBytes((NO_MODULE + "\n").getBytes(StandardCharsets.UTF_8));
        exit = SKIPPED;
      } else {
        exit = run(words[first], Arrays.copyOfRange(words, first + 1, words.length),
            line.strip().substring(line.strip().indexOf(" sh ") + 4), output);
      }
      String text = output.toString(StandardCharsets.UTF_8);
      // The exit marker must start a line even when the output did not end one.
      console.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
      console.println("=== EXIT " + exit);
      console.flush();
    }
  }

  private static int run(String tool, String[] args, String shellCommand, ByteArrayOutputStream output)
      throws IOException, InterruptedException {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream both = new PrintStream(output, true, StandardCharsets.UTF_8);
    try {
      System.setOut(both);
      System.setErr(both);
      return switch (tool) {
        case "mkdaxfs" -> dev.daxfs.mkfs.Mkdaxfs.run(args);
        case "daxfs-fsck" -> dev.daxfs.fsck.Fsck.run(new PrintWriter(both, true), new PrintWriter(both, true), args);
        case "daxfs-inspect" -> dev.daxfs.inspect.Inspect.run(both, both, args);
        case "sh" -> {
          Process p = new ProcessBuilder("/bin/sh", "-c", shellCommand).redirectErrorStream(true).start();
          p.getInputStream().transferTo(both);
          yield p.waitFor();
        }
        default -> throw new IllegalArgumentException("unknown tool " + tool);
      };
    } finally {
      both.flush();
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
