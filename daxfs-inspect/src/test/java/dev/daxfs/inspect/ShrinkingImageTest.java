package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The image file truncated after the command mapped it and before it read the pages (the test
 * maps it as the command does, truncates it, then lets the command run): the JVM's InternalError
 * for the SIGBUS must end as one line naming the image, exit 3, never a stack trace.
 */
class ShrinkingImageTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"digest", "cat /bin/tool", "cat --json /bin/tool", "flatten -o OUT", "ls -R /",
      "extract OUT", "stat /bin/tool", "dump"})
  void truncatedWhileReadIsAnOutputError(String command) throws Exception {
    Path image = Fixture.staticImage(dir);
    String[] words = command.replace("OUT", dir.resolve("out").toString()).split(" ");
    String[] args = new String[words.length + 2];
    args[0] = words[0];
    args[1] = "-f";
    args[2] = image.toString();
    System.arraycopy(words, 1, args, 3, words.length - 1);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Inspect());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    OutputStream bytes = new ByteArrayOutputStream();
    ((CatCommand) cl.getSubcommands().get("cat").getCommand()).sink = bytes;
    CommandLine.ParseResult parsed = cl.parseArgs(args);
    ImageCommand c = (ImageCommand) parsed.subcommand().commandSpec().userObject();
    int status;
    try (Target t = Target.open(image)) {
      try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
        ch.truncate(4096);   // the superblock stays readable; every page of the base is gone
      }
      status = c.callOn(t);
    }
    assertEquals(ImageCommand.OUTPUT, status, () -> out + "|" + err);
    assertEquals("daxfs-inspect: " + image + ": cannot read the image: it shrank while being read"
        + " (the file was truncated or the device resized)\n", err.toString());
  }
}
