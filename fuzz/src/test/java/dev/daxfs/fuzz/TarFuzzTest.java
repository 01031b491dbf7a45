package dev.daxfs.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfs.mkfs.Mkdaxfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Target 4: archives for mkdaxfs -t, generated with hostile names (.., absolute, long, odd bytes),
 * every entry type and links that point out of the tree, then byte-mutated. mkdaxfs must write an
 * image that fsck accepts or exit 2 with a one-line error; never crash, never leave a file
 * anywhere but its output.
 */
class TarFuzzTest {
  private static final String[] NAMES = {"a", "dir/b", "../escape", "/abs", "dir/../../up", "x/./y", ".", "",
      "dir/", "long/" + "n".repeat(120) + "/" + "m".repeat(140), "é/ü", "dir/a"};
  private static final byte[] TYPES = {TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK,
      TarConstants.LF_LINK, TarConstants.LF_CHR, TarConstants.LF_FIFO};

  static byte[] archive(Choices c) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      int entries = c.pick(8);
      for (int i = 0; i < entries && !c.exhausted(); i++) {
        String name = NAMES[c.pick(NAMES.length)] + (c.chance(50) ? "" : Integer.toString(c.pick(3)));
        byte type = TYPES[c.pick(TYPES.length)];
        TarArchiveEntry e = new TarArchiveEntry(name.isEmpty() ? "e" : name, type, true);
        e.setMode(c.pick(010000));
        if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
          e.setLinkName(NAMES[c.pick(NAMES.length)]);
        }
        byte[] data = type == TarConstants.LF_NORMAL ? c.bytes(600) : new byte[0];
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    } catch (IOException | IllegalArgumentException e) {
      return new byte[0];
    }
    byte[] out = bytes.toByteArray();
    for (int edits = c.pick(4); edits > 0 && out.length > 0; edits--) {
      out[c.pick(Math.min(out.length, 2048))] = (byte) c.pick(256);
    }
    return out;
  }

  @FuzzTest
  void archives(FuzzedDataProvider data) throws IOException {
    Choices c = Choices.of(data);
    boolean writable = c.chance(30);
    byte[] archive = archive(c);
    Path root = Files.createTempDirectory("fuzz-tar");
    try {
      Path in = root.resolve("in.tar");
      Files.write(in, archive);
      Path outDir = Files.createDirectory(root.resolve("out"));
      Path image = outDir.resolve("img.daxfs");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int status;
      try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        System.setErr(capture);
        status = writable ? Mkdaxfs.run("-q", "-w", "-D", "128K", "-t", in.toString(), "-o", image.toString())
            : Mkdaxfs.run("-q", "-t", in.toString(), "-o", image.toString());
      } finally {
        System.setErr(saved);
      }
      // Jazzer's agent reports each class it instruments on stderr too ("INFO: ..."): not mkdaxfs's words.
      String message = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: "))
          .reduce("", (a, b) -> a + b + "\n");
      if (message.contains("\tat ") || message.contains("Exception") || (status != 0 && status != 2)) {
        throw new AssertionError("mkdaxfs crashed (exit " + status + "): " + message);
      }
      List<Path> left;
      try (Stream<Path> files = Files.walk(root)) {
        left = files.filter(p -> !p.equals(root) && !p.equals(in) && !p.equals(outDir) && !p.equals(image)).toList();
      }
      if (!left.isEmpty()) {
        throw new AssertionError("mkdaxfs left files outside its output: " + left);
      }
      if (status == 0) {
        byte[] written = Files.readAllBytes(image);
        var report = Oracles.fsck(written);
        if (!Oracles.accepts(report)) {
          throw new AssertionError("fsck rejects what mkdaxfs wrote from an archive: " + report.problems());
        }
        Properties.verdictGuardsTheMount(written, null);
      } else if (message.lines().filter(l -> !l.isBlank()).count() != 1 || Files.exists(image)) {
        throw new AssertionError("mkdaxfs failed without one clear line, or left an image: " + message);
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException e) {
        // best effort
      }
    }
  }
}
