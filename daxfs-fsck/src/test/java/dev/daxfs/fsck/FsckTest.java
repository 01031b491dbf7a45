package dev.daxfs.fsck;

import static dev.daxfs.format.Structs.DIRENT;
import static dev.daxfs.validate.Fixture.COUNT;
import static dev.daxfs.validate.Fixture.FILE;
import static dev.daxfs.validate.Fixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Format;
import dev.daxfs.validate.Fixture;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: output forms and exit codes. */
class FsckTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Fsck.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private String write(Fixture f) throws IOException {
    Path p = Files.createTempFile(dir, "image", ".daxfs");
    Files.write(p, f.bytes());
    return p.toString();
  }

  /** A slash in a name: the kernel's validate does not look at names (rule 26). */
  private Fixture slashInName() {
    Fixture f = Fixture.staticImage();
    return f.putBytes(f.dirent(ROOT, FILE) + Fixture.at(DIRENT, "name"), Node.name("a/txt"));
  }

  @Test void validImageExitsZero() throws IOException {
    String image = write(Fixture.staticImage());
    assertEquals(0, run(image));
    assertEquals(image + ": valid (0 errors, 0 warnings)\n", out.toString());
  }

  @Test void brokenImageExitsFourWithOneLinePerProblem() throws IOException {
    Fixture f = slashInName();
    String image = write(f);
    assertEquals(4, run("--validate", image));
    String[] lines = out.toString().split("\n");
    assertEquals(2, lines.length, out::toString);
    assertTrue(lines[0].startsWith("rule 26 error: dirent at offset " + (f.dirent(ROOT, FILE) + 16)), lines[0]);
    assertTrue(lines[0].contains("(inode 1 /)"), lines[0]);
    assertEquals(image + ": INVALID (1 error, 0 warnings)", lines[1]);
  }

  @Test void aFileThatIsNoImageIsSaidInWordsWithItsRule() throws IOException {
    Path text = dir.resolve("README.md");
    Files.writeString(text, "# daxfs-tools\n\nJava tools for DAXFS v3 images.\n".repeat(200));
    assertEquals(4, run(text.toString()));
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].startsWith("rule 1 error: superblock at offset 0: expected 0x"), out::toString);
    assertEquals(text + ": INVALID: not a DAXFS image (1 error, 0 warnings)", lines[1]);
  }

  @Test void jsonIsOnStdoutForEveryOutcome() throws IOException {
    String missing = dir.resolve("missing.daxfs").toString();
    assertEquals(8, run("--json", missing));
    assertEquals("{\"image\":\"" + missing + "\",\"valid\":false,\"exit\":8,\"error\":\"" + missing
        + ": cannot read: no such file\"}\n", out.toString());
    assertEquals("daxfs-fsck: " + missing + ": cannot read: no such file\n", err.toString());
    out.getBuffer().setLength(0);
    assertEquals(16, run("--json", "--max-errors", "-1", missing));
    assertEquals("{\"image\":\"" + missing + "\",\"valid\":false,\"exit\":16,\"error\":"
        + "\"--max-errors must not be negative\"}\n", out.toString());
    out.getBuffer().setLength(0);
    assertEquals(16, run("--json", "--no-such-option", missing));
    assertTrue(out.toString().startsWith("{\"image\":null,\"valid\":false,\"exit\":16,\"error\":\"Unknown option"),
        out::toString);
    out.getBuffer().setLength(0);
    assertEquals(4, run("--json", write(slashInName())));
    assertTrue(out.toString().startsWith("{\"image\":"), out::toString);
  }

  @Test void kernelModeReportsOnlyWhatTheKernelRefuses() throws IOException {
    String slash = write(slashInName());
    assertEquals(0, run("--kernel", slash));
    assertTrue(out.toString().contains("the v3 kernel's validate would accept it"), out::toString);
    Fixture f = Fixture.staticImage();
    f.dirent(ROOT, FILE, "name_len", 200);
    assertEquals(4, run("--kernel", write(f)));
    assertTrue(out.toString().contains("rule 25 error"), out::toString);
  }

  @Test void jsonReport() throws IOException {
    Fixture f = slashInName();
    String image = write(f);
    assertEquals(4, run("--json", image));
    String json = out.toString().trim();
    assertTrue(json.startsWith("{\"image\":\"" + image + "\",\"mode\":\"validate\",\"strict\":false,\"valid\":false,"
        + "\"errors\":1,\"warnings\":0,\"shown\":1,\"problems\":[{\"rule\":26,\"severity\":\"error\""), json);
    assertTrue(json.contains("\"offset\":" + (f.dirent(ROOT, FILE) + 16) + ",\"inode\":1,\"path\":\"/\""), json);
  }

  @Test void quietPrintsNothing() throws IOException {
    assertEquals(4, run("-q", write(slashInName())));
    assertEquals("", out.toString() + err);
  }

  @Test void maxErrorsLimitsTheLinesButNotTheTotal() throws IOException {
    Fixture f = Fixture.staticImage();
    f.dirent(ROOT, FILE, "mode", 0).dirent(ROOT, Fixture.LINK, "mode", 0).dirent(ROOT, Fixture.SUB, "mode", 0);
    String image = write(f);
    assertEquals(4, run("--max-errors", "1", image));
    String[] lines = out.toString().split("\n");
    assertEquals(2, lines.length, out::toString);
    assertEquals(image + ": INVALID (3 errors, 0 warnings; first 1 of 3 shown)", lines[1]);
  }

  @Test void strictCountsWarnings() throws IOException {
    Fixture f = Fixture.branching().branch(0, 1, 0, Format.BRANCH_ACTIVE, "main", 2, new byte[0]);
    String image = write(f);
    assertEquals(0, run(image));
    assertTrue(out.toString().contains("rule 43 warning"), out::toString);
    assertEquals(4, run("--strict", image));
  }

  @Test void missingImageIsAnOperationalError() {
    assertEquals(8, run(dir.resolve("nope").toString()));
    assertEquals("daxfs-fsck: " + dir.resolve("nope") + ": cannot read: no such file\n", err.toString());
    assertEquals(8, run(dir.toString()));
  }

  @Test void usageErrors() throws IOException {
    assertEquals(16, run());
    assertEquals(16, run("--bogus", "x"));
    assertEquals(16, run("--validate", "--kernel", write(Fixture.staticImage())));
    assertEquals(16, run("--max-errors", "-1", "x"));
  }

  /**
   * The plain forms skip building picocli's model (most of a start); with one more option the same
   * arguments go through picocli. Both must print the same and exit the same.
   */
  @Test void plainFormsAnswerAsPicocliDoes() throws IOException {
    String valid = write(Fixture.staticImage());
    String broken = write(slashInName());
    String missing = dir.resolve("nope").toString();
    List<List<String>> forms = List.of(List.of(valid), List.of(broken), List.of(missing), List.of(dir.toString()),
        List.of("--json", broken), List.of("-q", broken), List.of("--quiet", valid), List.of("--kernel", broken),
        List.of("--strict", "--validate", broken), List.of("--validate", "--kernel", valid));
    for (List<String> form : forms) {
      assertNotNull(Fsck.plain(form.toArray(String[]::new)), form.toString());
      StringWriter plainOut = new StringWriter();
      StringWriter plainErr = new StringWriter();
      int plain = Fsck.run(new PrintWriter(plainOut), new PrintWriter(plainErr), form.toArray(String[]::new));
      List<String> longer = new java.util.ArrayList<>(form);
      longer.addAll(List.of("--max-errors", "100"));
      assertNull(Fsck.plain(longer.toArray(String[]::new)));
      StringWriter viaOut = new StringWriter();
      StringWriter viaErr = new StringWriter();
      int via = Fsck.run(new PrintWriter(viaOut), new PrintWriter(viaErr), longer.toArray(String[]::new));
      assertEquals(via + viaOut.toString() + viaErr, plain + plainOut.toString() + plainErr, form.toString());
    }
    for (String[] other : new String[][] {{}, {"--help"}, {"@args"}, {valid, valid}, {"--bogus", valid}, {""}}) {
      assertNull(Fsck.plain(other), List.of(other).toString());
    }
  }

  @Test void helpDocumentsTheExitCodes() {
    assertEquals(0, run("--help"));
    String help = out.toString();
    for (String code : new String[] {" 0", " 4", " 8", "16"}) {
      assertTrue(help.contains(code + "   "), help);
    }
  }

  @Test void emptyFileIsAProblemNotACrash() throws IOException {
    Path p = dir.resolve("empty");
    Files.write(p, new byte[0]);
    assertEquals(4, run(p.toString()));
    assertTrue(out.toString().startsWith("rule 4 error: superblock at offset 0"), out::toString);
  }

  @Test void nextInodeIdBelowACreatedInodeIsAnError() throws IOException {
    byte[] log = new dev.daxfs.format.DeltaLogBuilder()
        .create(ROOT, COUNT + 1, Format.S_IFREG | 0644, Node.name("n")).toByteArray();
    Fixture f = Fixture.branching().branch(0, 1, 0, Format.BRANCH_ACTIVE, "main", COUNT + 2, log);
    assertEquals(4, run(write(f)));
    assertTrue(out.toString().startsWith("rule 9 error"), out::toString);
  }
}
