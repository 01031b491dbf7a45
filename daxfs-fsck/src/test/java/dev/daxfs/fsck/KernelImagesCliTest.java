package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.KernelImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** daxfs-fsck says "valid" with exit 0 on every image the real v3 kernel wrote. */
class KernelImagesCliTest {
  @TempDir static Path dir;

  @ParameterizedTest @MethodSource("dev.daxfs.validate.KernelImagesTest#images")
  void accepted(String name) throws IOException {
    Path image = dir.resolve(name + ".daxfs");
    Files.write(image, KernelImages.image(name));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fsck.run(new PrintWriter(out), new PrintWriter(err), image.toString());
    assertEquals(0, code, () -> out + "" + err);
    assertTrue(out.toString().contains(": valid (0 errors"), out::toString);
  }
}
