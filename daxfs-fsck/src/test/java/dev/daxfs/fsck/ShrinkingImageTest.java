package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.integrity.ImageSigner;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureAlgorithm;
import dev.daxfs.integrity.SignatureFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * An image file truncated after daxfs-fsck mapped it and before it read the pages: the JVM turns
 * the SIGBUS into InternalError, which must end as one line naming the image and exit 8 (as an
 * unreadable image), never a stack trace. Deterministic: the test maps the file as the command
 * does, truncates it, then lets the command read.
 */
class ShrinkingImageTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedWhileReadIsAnOperationalError(boolean verifySignature) throws Exception {
    byte[] data = new byte[200_000];
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a.bin"), 0644, 0, 0, data.length, Content.of(data))));
    Path image = dir.resolve("img.daxfs");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    List<String> args = new ArrayList<>();
    if (verifySignature) {
      List<Path> keys = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("key"));
      Path sig = SignatureFile.besides(image);
      ImageSigner.sign(Image.open(ImageBytes.of(Files.readAllBytes(image))), KeyFiles.readPrivate(keys.get(0)))
          .write(sig);
      args.addAll(List.of("--verify-sig", sig.toString(), "--key", keys.get(1).toString()));
    }
    args.add(image.toString());
    CommandLine cl = new CommandLine(new Fsck());
    cl.parseArgs(args.toArray(String[]::new));
    Fsck fsck = cl.getCommand();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status;
    try (ImageSource source = ImageSource.open(image)) {
      try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
        ch.truncate(4096);   // the superblock stays; the base is gone from under the mapping
      }
      status = fsck.check(source.bytes(), new PrintWriter(out, true), new PrintWriter(err, true));
    }
    assertEquals(Fsck.OPERATIONAL, status, () -> out + "|" + err);
    assertEquals("daxfs-fsck: " + image + ": cannot read the image: it shrank while being read"
        + " (the file was truncated or the device resized)\n", err.toString());
    assertEquals("", out.toString());
  }
}
