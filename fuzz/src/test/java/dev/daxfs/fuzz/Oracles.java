package dev.daxfs.fuzz;

import dev.daxfs.format.ImageBytes;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Validator;
import dev.daxfs.inspect.Inspect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The components under test, called the way their users call them. */
final class Oracles {
  private Oracles() {}

  /** daxfs-fsck's verdict on an image file of exactly these bytes; any exception is a finding. */
  static Report fsck(byte[] image) {
    return Validator.check(ImageBytes.of(image), Options.of(image.length));
  }

  /** Accepted: no error (warnings are the kernel's own inconsistent bookkeeping). */
  static boolean accepts(Report r) { return r.valid(false); }

  private static final List<List<String>> INSPECT_COMMANDS = List.of(
      List.of("status"), List.of("list"), List.of("dump"), List.of("info"), List.of("ls", "-l", "-R"),
      List.of("list", "--json"));

  /**
   * Runs the read-only daxfs-inspect commands on the image (written to {@code file}); each must
   * end with a documented exit status and without an internal error.
   */
  static void inspectNeverCrashes(byte[] image, Path file) {
    try {
      Files.write(file, image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (List<String> command : INSPECT_COMMANDS) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String[] args = new String[command.size() + 2];
      args[0] = command.get(0);
      args[1] = "-f";
      args[2] = file.toString();
      for (int i = 1; i < command.size(); i++) {
        args[i + 2] = command.get(i);
      }
      int status = Inspect.run(out, err, args);
      String e = err.toString(StandardCharsets.UTF_8);
      if (status < 0 || status > 2 || e.contains("internal error") || e.contains("\tat ")) {
        throw new AssertionError("daxfs-inspect " + String.join(" ", command) + " exited " + status + ": " + e);
      }
    }
  }
}
