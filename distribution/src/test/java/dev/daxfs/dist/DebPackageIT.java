package dev.daxfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The .deb of `mvn -Pdist package`, installed by dpkg into an empty root that holds only the
 * packages it depends on (copied from this machine's installed libc6) and a static shell, then run
 * there through chroot: no JDK exists inside, so the tools can only run on the runtime they ship.
 */
@Tag("dist")
class DebPackageIT {
  static final List<String> TOOLS = LaunchersIT.TOOLS;

  @TempDir static Path tmp;
  static Path root;

  @BeforeAll
  static void installIntoAnEmptyRoot() throws Exception {
    Assumptions.assumeTrue(sh("unshare --mount --pid --fork true").exit() == 0, () -> {
      System.err.println("SKIPPED: the package test needs root (dpkg --root, chroot, unshare)");
      return "SKIPPED: needs root";
    });
    Path deb;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
          .orElseThrow(() -> new AssertionError("no .deb in target/: run with -Pdist"));
    }
    // A copy where script lines can name it: the checkout's path may hold a space.
    deb = Files.copy(deb, tmp.resolve("daxfs-tools.deb"));
    root = tmp.resolve("root");
    String depends = sh("dpkg-deb -f " + deb.toAbsolutePath() + " Depends").out().strip();
    List<String> packages = new ArrayList<>(List.of(depends.split(",\\s*")));
    packages.replaceAll(p -> p.replaceAll("\\s*\\(.*", ""));
    packages.add("busybox-static");
    packages.add("libc-bin"); // essential on every Debian system: its C.UTF-8 locale among others
    // The root mirrors this machine's /usr merge, then holds each dependency as dpkg knows it: its
    // files, its file list and its status entry, so that dpkg checks the package's Depends for real.
    StringBuilder script = new StringBuilder("set -e; r=" + root + "\n"
        + "mkdir -p $r/var/lib/dpkg/info $r/var/lib/dpkg/updates $r/tmp $r/proc $r/dev\n"
        + ": > $r/var/lib/dpkg/available\n"
        + "for d in bin sbin lib lib64; do if [ -L /$d ]; then mkdir -p $r/$(readlink /$d); ln -s $(readlink /$d) $r/$d; fi; done\n");
    for (String p : packages) {
      script.append("dpkg -L ").append(p).append(" | while read -r f; do [ -d \"$f\" ] && continue;"
          + " [ -e \"$f\" ] || [ -L \"$f\" ] || continue; mkdir -p \"$r$(dirname \"$f\")\"; cp -a \"$f\" \"$r$f\"; done\n");
      script.append("dpkg -L ").append(p).append(" > $r/var/lib/dpkg/info/$(dpkg-query -W -f='${binary:Package}' ")
          .append(p).append(").list\n");
      script.append("dpkg-query -s ").append(p).append(" >> $r/var/lib/dpkg/status; echo >> $r/var/lib/dpkg/status\n");
    }
    script.append("ln -sf busybox $r/bin/sh\n");
    script.append("dpkg --root=$r -i ").append(deb.toAbsolutePath()).append('\n');
    Run install = sh(script.toString());
    assertEquals(0, install.exit(), install::toString);
  }

  /** The root's absolute symlinks (as libc6 ships them) point outside the temp dir; JUnit warns on them. */
  @AfterAll
  static void removeRoot() throws Exception {
    if (root != null) {
      sh("rm -rf " + root);
    }
  }

  @Test
  void dpkgRecordsThePackageAsInstalled() throws Exception {
    Run status = sh("dpkg --root=" + root + " -s daxfs-tools");
    assertTrue(status.out().contains("Status: install ok installed"), status::toString);
  }

  @Test
  void theOnlyJavaInsideIsThePackagedRuntime() throws Exception {
    Run javas = sh("cd " + root + " && find . -name java -type f");
    assertEquals("./usr/lib/daxfs-tools/runtime/bin/java", javas.out().strip(), javas::toString);
  }

  @Test
  void everyToolPrintsVersionAndHelpInsideTheRoot() throws Exception {
    for (String tool : TOOLS) {
      Run version = succeedsInRoot("/usr/bin/" + tool + " --version");
      assertTrue(version.out().startsWith(tool + " "), version::toString);
      assertTrue(version.out().contains("format: v3"), version::toString);
      Run help = succeedsInRoot("/usr/bin/" + tool + " --help");
      assertTrue(help.out().contains("Usage: " + tool), help::toString);
    }
  }

  @Test
  void buildsChecksAndListsAnImageInsideTheRoot() throws Exception {
    Path dir = Files.createDirectories(root.resolve("tmp/tree/dir"));
    for (int i = 0; i < 9; i++) {
      Files.writeString(dir.resolve("file-" + i), "content " + i + "\n");
    }
    Files.writeString(dir.resolve("grüße-日本.txt"), "a UTF-8 name, in a root without LANG\n");

    succeedsInRoot("/usr/bin/mkdaxfs -d /tmp/tree -o /tmp/tree.daxfs");
    succeedsInRoot("/usr/bin/daxfs-fsck /tmp/tree.daxfs");
    Run ls = succeedsInRoot("/usr/bin/daxfs-inspect ls -f /tmp/tree.daxfs /dir");
    assertTrue(ls.out().contains("file-8") && ls.out().contains("grüße-日本.txt"), ls::toString);
    assertEquals("content 3\n", new String(ImageFiles.read(root.resolve("tmp/tree.daxfs"), "dir/file-3"),
        StandardCharsets.UTF_8));
  }

  /** The library code the runtime image must still carry: archive readers and signatures. */
  @Test
  void readsCompressedTarsAndSignsAndVerifiesInsideTheRoot() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("tar-src/dir"));
    Files.writeString(src.resolve("file"), "from a tar\n");
    Run prepare = sh("set -e; cd " + src.getParent() + "; tar -czf " + root.resolve("tmp/t.tgz") + " dir; tar -cJf "
        + root.resolve("tmp/t.txz") + " dir; openssl genpkey -algorithm ed25519 -out " + root.resolve("tmp/key.pem")
        + "; openssl pkey -in " + root.resolve("tmp/key.pem") + " -pubout -out " + root.resolve("tmp/key.pub"));
    assertEquals(0, prepare.exit(), prepare::toString);

    succeedsInRoot("/usr/bin/mkdaxfs -q -t /tmp/t.tgz -o /tmp/gz.daxfs");
    succeedsInRoot("/usr/bin/mkdaxfs -q -t /tmp/t.txz -o /tmp/xz.daxfs --sign /tmp/key.pem");
    Run verify = succeedsInRoot("/usr/bin/daxfs-fsck --verify-sig /tmp/xz.daxfs.sig --key /tmp/key.pub /tmp/xz.daxfs");
    assertTrue(verify.out().contains("signature OK"), verify::toString);
    for (String image : List.of("tmp/gz.daxfs", "tmp/xz.daxfs")) {
      assertEquals("from a tar\n", new String(ImageFiles.read(root.resolve(image), "dir/file"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theShippedAotCachesAreUsable() throws Exception {
    // AOTMode=on makes the JVM refuse to start when the cache does not match runtime and jar.
    for (String tool : TOOLS) {
      succeedsInRoot("JAVA_TOOL_OPTIONS=-XX:AOTMode=on /usr/bin/" + tool + " --version");
    }
  }

  /**
   * A check loads no class from the jar: all come from the AOT cache, picocli's too (its release
   * jar's Java 5 class files could not be kept there; the package compiles it for its runtime).
   * Both forms: the plain one (one image) that skips picocli's model, and one with an option.
   */
  @Test
  void aCheckLoadsEveryClassOfItsJarFromTheAotCache() throws Exception {
    Files.createDirectories(root.resolve("tmp/aot-tree"));
    Files.writeString(root.resolve("tmp/aot-tree/file"), "content\n");
    succeedsInRoot("/usr/bin/mkdaxfs -q -d /tmp/aot-tree -o /tmp/aot.daxfs");
    String exec = Files.readString(root.resolve("usr/bin/daxfs-fsck")).lines()
        .filter(l -> l.startsWith("exec ")).findFirst().orElseThrow()
        .replace(" -cp ", " -Xlog:class+load=info:stdout -cp ");
    Run plain = succeedsInRoot(exec.replace("\"$@\"", "/tmp/aot.daxfs"));
    assertTrue(plain.out().contains("dev.daxfs.fsck.Fsck source: shared objects file"), plain::toString);
    assertEquals(List.of(), plain.out().lines().filter(l -> l.contains("source: file:")).toList());
    Run parsed = succeedsInRoot(exec.replace("\"$@\"", "--max-errors 10 /tmp/aot.daxfs"));
    assertTrue(parsed.out().contains("picocli.CommandLine source: shared objects file"), parsed::toString);
    assertEquals(List.of(), parsed.out().lines().filter(l -> l.contains("source: file:")).toList());
  }

  /** The package starts daxfsfuse, a long-lived server, with the JVM flags the source tree's launcher gives it. */
  @Test
  void daxfsfuseGetsTheLaunchersServerFlags() throws Exception {
    String launcher = Files.readString(Repo.root().resolve("bin/launch")).lines()
        .filter(l -> l.contains("\"$tool\" != daxfsfuse")).findFirst().orElseThrow();
    String flags = launcher.substring(launcher.indexOf("flags+=(") + "flags+=(".length(), launcher.lastIndexOf(')'));
    String exec = Files.readString(root.resolve("usr/bin/daxfsfuse")).lines()
        .filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
    for (String flag : flags.split(" ")) {
      assertTrue(exec.contains(" " + flag + " "), () -> flag + " missing from the package's " + exec);
    }
  }

  @Test
  void everyCommandAndSubcommandHasAManPage() throws Exception {
    for (String tool : TOOLS) {
      // Every page's header names the tool's version, as --version prints it, and the format.
      String version = succeedsInRoot("/usr/bin/" + tool + " --version").out().lines().findFirst().orElseThrow();
      String source = "\"" + version.replace("-", "\\-") + "\" \"DAXFS v" + Format.VERSION + " tools\"";
      for (CommandLine cmd : commandTree(tool)) {
        String name = cmd.getCommandSpec().qualifiedName("-");
        Path page = root.resolve("usr/share/man/man1/" + name + ".1.gz");
        assertTrue(Files.isRegularFile(page), "no man page " + page.getFileName());
        String roff;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(page))) {
          roff = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String description = cmd.getCommandSpec().usageMessage().description().length == 0 ? ""
            : cmd.getCommandSpec().usageMessage().description()[0];
        assertTrue(!description.isBlank(), name + " has no description for its NAME section");
        assertTrue(roff.contains(".SH \"NAME\"") && roff.contains(name + " \\- "), name);
        String header = roff.lines().filter(l -> l.startsWith(".TH ")).findFirst().orElse("");
        assertTrue(header.endsWith(source), name + ": " + header);
        for (CommandLine.Model.OptionSpec option : cmd.getCommandSpec().options()) {
          assertTrue(roff.contains(option.longestName().replace("-", "\\-")), name + " lacks " + option.longestName());
        }
        if (name.equals(tool)) {
          // The sections man(7) expects of a command's page.
          for (String section : List.of("EXIT STATUS", "EXAMPLES", "SEE ALSO")) {
            assertTrue(roff.contains(".SH \"" + section + "\""), name + " has no " + section + " section");
          }
          assertTrue(roff.contains(tool + " "), name + "'s EXAMPLES do not run " + tool);
        }
      }
    }
  }

  @Test
  void theFormatSheetTheToolsReferToIsInstalled() throws Exception {
    Path sheet = root.resolve("usr/share/doc/daxfs-tools/FORMAT.md");
    assertEquals(Files.readString(Repo.root().resolve("format-spec/FORMAT.md")), Files.readString(sheet));
  }

  @Test
  void bashCompletesOptionsAndSubcommands() throws Exception {
    Path completions = root.resolve("usr/share/bash-completion/completions");
    Run mk = sh("bash -c '. " + completions.resolve("mkdaxfs") + "; COMP_WORDS=(mkdaxfs --dir); COMP_CWORD=1;"
        + " COMP_LINE=\"mkdaxfs --dir\"; _complete_mkdaxfs; printf \"%s\\n\" \"${COMPREPLY[@]}\"'");
    assertEquals("--directory", mk.out().strip(), mk::toString);
    Run inspect = sh("bash -c '. " + completions.resolve("daxfs-inspect") + "; COMP_WORDS=(daxfs-inspect l); COMP_CWORD=1;"
        + " COMP_LINE=\"daxfs-inspect l\"; _complete_daxfs-inspect; printf \"%s\\n\" \"${COMPREPLY[@]}\" | sort'");
    assertEquals("list\nls", inspect.out().strip(), inspect::toString);
    Run special = sh("bash -c '. " + completions.resolve("mkdaxfs") + "; COMP_WORDS=(mkdaxfs --special \"\"); COMP_CWORD=2;"
        + " COMP_LINE=\"mkdaxfs --special \"; _complete_mkdaxfs; printf \"%s\\n\" \"${COMPREPLY[@]}\" | sort'");
    assertEquals("error\nskip", special.out().strip(), special::toString);
  }

  @Test
  void zshRunsTheSameCompletionThroughBashcompinit() throws Exception {
    Run which = sh("command -v zsh");
    Assumptions.assumeTrue(which.exit() == 0, () -> {
      System.err.println("SKIPPED: zsh is not installed");
      return "SKIPPED: zsh is not installed";
    });
    Path zshFile = root.resolve("usr/share/zsh/vendor-completions/_mkdaxfs");
    String wrapper = Files.readString(zshFile);
    assertTrue(wrapper.startsWith("#compdef mkdaxfs\n"), wrapper);
    assertEquals(0, sh("zsh -n " + zshFile).exit());
    // What zsh's _bash_complete does before it calls the function; zsh then keeps the matches
    // that start with the word being completed.
    Run r = sh("zsh -f -c 'autoload -U +X compinit && compinit -u; . " + root.resolve("usr/share/bash-completion/completions/mkdaxfs")
        + "; words=(mkdaxfs --dir); CURRENT=2; COMP_WORDS=(mkdaxfs --dir); COMP_CWORD=1; COMP_LINE=\"mkdaxfs --dir\";"
        + " compgen -o default -F _complete_mkdaxfs -- --dir'");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("--directory"), r.out().lines().filter(w -> w.startsWith("--dir")).toList(), r::toString);
  }

  /** The command and all its subcommands, built from the main class of the tool's packaged jar. */
  private static List<CommandLine> commandTree(String tool) throws Exception {
    String main;
    try (JarFile jar = new JarFile(root.resolve("usr/lib/daxfs-tools/lib/" + tool + ".jar").toFile())) {
      main = jar.getManifest().getMainAttributes().getValue("Main-Class");
    }
    var ctor = Class.forName(main).getDeclaredConstructor();
    ctor.setAccessible(true);
    List<CommandLine> all = new ArrayList<>();
    List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(ctor.newInstance())));
    while (!todo.isEmpty()) {
      CommandLine c = todo.removeLast();
      all.add(c);
      todo.addAll(c.getSubcommands().values());
    }
    return all;
  }

  /**
   * Runs {@code command} chrooted into the installed root, in private mount and pid namespaces
   * that give it /proc (the dynamic loader resolves $ORIGIN through it) and /dev, as on any system.
   */
  private static Run inRoot(String command) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(LaunchersIT.userEnv());
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Run.of(tmp, env, List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"),
        "/bin/sh", "-c", "mount --bind /dev \"$0/dev\" && exec chroot \"$0\" /bin/sh -c \"$1\"", root.toString(), command));
  }

  private static Run succeedsInRoot(String command) throws IOException, InterruptedException {
    Run r = inRoot(command);
    assertEquals(0, r.exit(), () -> command + ": " + r);
    return r;
  }

  private static Run sh(String script) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(LaunchersIT.userEnv());
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Run.sh(tmp, env, script);
  }
}
