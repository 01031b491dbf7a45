package dev.daxfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer types first, through the real launchers: help where people look, plain messages. */
class MessagesIT {
  @TempDir Path tmp;

  private Run run(String tool, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Repo.bin(tool).toString()));
    command.addAll(List.of(args));
    return Run.of(tmp, LaunchersIT.userEnv(), command);
  }

  private Run sh(String script) throws Exception {
    // The tools by name from PATH: a checkout's path may hold a space, which a script line would split.
    java.util.Map<String, String> env = LaunchersIT.userEnv();
    env.put("PATH", Repo.bin("x").getParent() + ":/usr/bin:/bin");
    return Run.sh(tmp, env, script);
  }

  @Test void helpOfACommandAndTheNearestCommandForATypo() throws Exception {
    Run help = run("daxfs-inspect", "help", "ls");
    assertEquals(0, help.exit(), help::toString);
    assertTrue(help.out().startsWith("Usage: daxfs-inspect ls "), help::toString);

    Run typo = run("daxfs-inspect", "lst", "-f", "x.daxfs");
    assertEquals(1, typo.exit(), typo::toString);
    assertEquals("daxfs-inspect: 'lst' is not a command; did you mean ls?\n"
        + "Try 'daxfs-inspect --help' for more information.\n", typo.err());
  }

  @Test void aClosedStandardOutputIsAnErrorForEveryTool() throws Exception {
    Path image = tmp.resolve("img.daxfs");
    Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tmp.resolve("tree/a"), "a\n");
    assertEquals(0, run("mkdaxfs", "-q", "-d", "tree", "-o", image.toString()).exit());
    for (String command : List.of("mkdaxfs --help", "daxfs-fsck " + image, "daxfs-inspect ls -f " + image)) {
      Run open = sh(command + " >/dev/null");
      assertEquals(0, open.exit(), open::toString);
      Run closed = sh(command + " >&-");
      assertTrue(closed.exit() != 0, closed::toString);
      assertTrue(closed.err().endsWith(command.split(" ")[0] + ": write error on standard output\n"), closed::toString);
    }
    // A reader that leaves early is no error (as SIGPIPE is silent for C tools).
    Run head = sh("daxfs-inspect --help | head -1");
    assertEquals("Usage: daxfs-inspect [-h] [--version] [COMMAND]\n", head.out(), head::toString);
    assertEquals("", head.err(), head::toString);
  }

  @Test void anArchiveIsNotReadFromATerminal() throws Exception {
    // script(1) gives the command a pseudo-terminal as stdin, as an interactive shell has.
    Run r = sh("script -qec 'mkdaxfs -t - -o out.daxfs' /dev/null < /dev/null");
    assertTrue(r.out().contains("mkdaxfs: refusing to read archive from a terminal"), r::toString);
    assertEquals(2, r.exit(), r::toString);
    assertTrue(!Files.exists(tmp.resolve("out.daxfs")));
  }

  @Test void fsckSaysWhenAFileIsNoImageAndAnswersJsonForEveryOutcome() throws Exception {
    Path text = tmp.resolve("README.md");
    Files.writeString(text, "# daxfs-tools\n".repeat(400));
    Run notImage = run("daxfs-fsck", "README.md");
    assertEquals(4, notImage.exit(), notImage::toString);
    assertTrue(notImage.out().startsWith("rule 1 error: superblock at offset 0:"), notImage::toString);
    assertTrue(notImage.out().endsWith("README.md: INVALID: not a DAXFS image (1 error, 0 warnings)\n"),
        notImage::toString);

    Run missing = run("daxfs-fsck", "--json", "missing.daxfs");
    assertEquals(8, missing.exit(), missing::toString);
    assertEquals("{\"image\":\"missing.daxfs\",\"valid\":false,\"exit\":8,"
        + "\"error\":\"missing.daxfs: cannot read: no such file\"}\n", missing.out());
  }

  @Test void anUnsupportedArchitectureIsOneLineForEveryTool() throws Exception {
    Path image = Files.write(tmp.resolve("x.daxfs"), new byte[8192]);
    Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tmp.resolve("tree/a"), "a\n");
    String refusal = "this machine's architecture riscv64 is not supported (x86_64 and aarch64 are)\n";
    record Case(String tool, int exit, String message, String... args) {}
    for (Case c : List.of(
        new Case("mkdaxfs", 3, "mkdaxfs: " + refusal, "-d", "tree", "-o", "out.daxfs"),
        new Case("daxfs-fsck", 8, "daxfs-fsck: " + image + ": " + refusal, image.toString()),
        new Case("daxfs-inspect", 3, "daxfs-inspect: " + refusal, "ls", "-f", image.toString()))) {
      // os.arch as the JVM of such a machine reports it: the tools' first system call needs its table.
      List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
          "--enable-native-access=ALL-UNNAMED", "-Dos.arch=riscv64", "-jar",
          Repo.root().resolve(c.tool() + "/target/" + c.tool() + ".jar").toString()));
      command.addAll(List.of(c.args()));
      Run r = Run.of(tmp, LaunchersIT.userEnv(), command);
      assertEquals(c.exit(), r.exit(), r::toString);
      assertEquals(c.message(), r.err(), r::toString);
    }
    assertTrue(!Files.exists(tmp.resolve("out.daxfs")));
  }
}
