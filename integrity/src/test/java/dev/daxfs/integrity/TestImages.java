package dev.daxfs.integrity;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Images and external tools for the tests. */
final class TestImages {
  private TestImages() {}

  /** A branching image of a small tree; {@code variant} changes one file's contents. */
  static Path write(Path dir, String name, int variant) throws IOException {
    List<Node> kids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] data = ("line " + i + " of variant " + (i == 5 ? variant : 0) + "\n").repeat(200 * i)
          .getBytes(StandardCharsets.US_ASCII);
      kids.add(new Node.File(Node.name("f" + i), 0644, 0, 0, data.length, Content.of(data)));
    }
    kids.add(new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("f1")));
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, kids);
    Path out = dir.resolve(name);
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.branching(256 << 10)), out, ImageWriter.Progress.NONE);
    return out;
  }

  /** The result of running an external command. */
  record Run(int exit, String output) {}

  /** Runs a command in {@code dir}; skips the test loudly when the program is not installed. */
  static Run run(Path dir, String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return skip(command[0] + " is not installed (" + e.getMessage() + ")");
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    return new Run(p.exitValue(), out);
  }

  static <T> T skip(String reason) {
    System.err.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }
}
