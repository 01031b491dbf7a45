package dev.daxfs.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mkdaxfs, bin/daxfs-fsck and bin/daxfs-inspect as a user runs them: from anywhere, through
 * symlinks, on a machine whose default java is older than 25, and on a fresh clone.
 */
class LaunchersIT {
  static final List<String> TOOLS = List.of("mkdaxfs", "daxfs-fsck", "daxfs-inspect", "daxfsfuse");

  @TempDir Path tmp;

  /** The environment of a user whose `java` may be old and who never set JAVA_HOME. */
  static Map<String, String> userEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", System.getProperty("user.home"));
    return env;
  }

  @Test
  void buildsAnImageWithUtf8NamesFromAnotherDirectoryWithRelativePaths() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work/tree/sub"));
    Files.writeString(work.resolve("hellö-日本.txt"), "hello from a relative path\n");
    Path cwd = tmp.resolve("work");

    // userEnv() has no LANG: the C locale of scripts and cron, where Java sees only ASCII names.
    Run r = Run.of(cwd, userEnv(), List.of(Repo.bin("mkdaxfs").toString(), "-d", "tree", "-o", "out.daxfs"));

    assertEquals(0, r.exit(), r::toString);
    assertArrayEquals("hello from a relative path\n".getBytes(UTF_8),
        ImageFiles.read(cwd.resolve("out.daxfs"), "sub/hellö-日本.txt"));
  }

  @Test
  void everyToolRunsFromALinkToTheBinDirectory() throws Exception {
    // bin/ itself a symlink (a checkout's bin linked into a work directory): its ".." is the link's
    // directory, not the checkout the jars are in.
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.createSymbolicLink(work.resolve("bin"), Repo.root().resolve("bin"));
    try {
      for (String tool : TOOLS) {
        Run r = Run.of(work, userEnv(), List.of("bin/" + tool, "--version"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith(tool + " "), r::toString);
      }
    } finally {
      Files.delete(work.resolve("bin")); // JUnit warns about links leaving its temp dir
    }
  }

  @Test
  void everyToolRunsThroughAChainOfSymlinksOnPathAndNamesItsFormat() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path links = Files.createDirectories(tmp.resolve("links"));
    Map<String, String> env = userEnv();
    env.put("PATH", bin + ":/usr/bin:/bin");
    for (String tool : TOOLS) {
      Files.createSymbolicLink(links.resolve(tool), Repo.bin(tool));
      Files.createSymbolicLink(bin.resolve(tool), Path.of("../links/" + tool));

      Run r = Run.sh(tmp, env, tool + " --version");

      assertEquals(0, r.exit(), r::toString);
      assertTrue(r.out().startsWith(tool + " "), r::toString);
      assertTrue(r.out().contains("format: v3"), r::toString);
      Files.delete(links.resolve(tool)); // JUnit warns about links leaving its temp dir
    }
  }

  @Test
  void passesExitCodesAndStreamsThrough() throws Exception {
    Run missing = Run.of(tmp, userEnv(), List.of(Repo.bin("mkdaxfs").toString(), "-d", "no-such-dir", "-o", "x"));
    assertEquals(2, missing.exit(), missing::toString);
    assertEquals("", missing.out());
    assertTrue(missing.err().contains("no-such-dir"), missing::toString);

    Run noImage = Run.of(tmp, userEnv(), List.of(Repo.bin("daxfs-fsck").toString(), "no-such-image"));
    assertEquals(8, noImage.exit(), noImage::toString); // e2fsck's "operational error"

    Run usage = Run.of(tmp, userEnv(), List.of(Repo.bin("mkdaxfs").toString(), "--no-such-option"));
    assertEquals(1, usage.exit(), usage::toString);
    assertEquals("", usage.out());
    assertFalse(usage.err().isEmpty());
  }

  @Test
  void prefersJavaHomeThenJavaOnPath() throws Exception {
    Path viaHome = recordingJdk("home-jdk", currentJdkFeature());
    Path viaPath = recordingJdk("path-jdk", currentJdkFeature());
    Map<String, String> env = userEnv();
    env.put("JAVA_HOME", viaHome.toString());
    env.put("PATH", viaPath.resolve("bin") + ":/usr/bin:/bin");

    assertEquals(0, mkdaxfsVersion(env).exit());
    assertTrue(Files.exists(viaHome.resolve("used")), "JAVA_HOME's java was not used");
    assertFalse(Files.exists(viaPath.resolve("used")), "java on PATH was used despite JAVA_HOME");

    env.remove("JAVA_HOME");
    assertEquals(0, mkdaxfsVersion(env).exit());
    assertTrue(Files.exists(viaPath.resolve("used")), "java on PATH was not used");
  }

  @Test
  void skipsJdksOlderThan25AndFindsOneUnderUsrLibJvm() throws Exception {
    assumeInstalledJdk25();
    Path old = recordingJdk("old-jdk", 17);
    Map<String, String> env = userEnv();
    env.put("JAVA_HOME", old.toString());
    env.put("PATH", old.resolve("bin") + ":/usr/bin:/bin");

    Run r = mkdaxfsVersion(env);

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("mkdaxfs "), r::toString);
    assertFalse(Files.exists(old.resolve("used")), "a JDK 17 was started");
  }

  @Test
  void saysWhatIsMissingWhenThereIsNoJdk25() throws Exception {
    assumeTrue(Run.sh(tmp, userEnv(), "unshare -m true").exit() == 0,
        () -> loud("needs root and mount namespaces (unshare -m) to hide the installed JDKs"));
    Path old = recordingJdk("old-jdk", 17);
    Map<String, String> env = userEnv();
    env.put("PATH", old.resolve("bin") + ":/usr/bin:/bin");

    // A private mount namespace hides every installed JDK behind empty directories.
    env.put("TOOL", Repo.bin("daxfs-fsck").toString());   // in the environment: the path may hold a space
    Run r = Run.sh(tmp, env, "unshare -m sh -c 'for d in /usr/lib/jvm /opt; do [ -d $d ] && mount -t tmpfs none $d; done;"
        + " exec \"$TOOL\" --version'");

    assertEquals(127, r.exit(), r::toString);
    assertTrue(r.err().contains("no JDK 25 or newer found"), r::toString);
    assertEquals("", r.out());
  }

  @Test
  void buildsTheJarsOnFirstUseInAFreshTree() throws Exception {
    Path clone = tmp.resolve("clone");
    copySources(Repo.root(), clone);
    for (String tool : TOOLS) {
      assertFalse(Files.exists(clone.resolve(tool + "/target/" + tool + ".jar")));
    }

    Run r = Run.of(tmp, userEnv(), List.of(clone.resolve("bin/mkdaxfs").toString(), "--version"));

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.err().contains("first run"), r::toString);
    assertTrue(r.out().startsWith("mkdaxfs "), r::toString);
    for (String tool : TOOLS) {
      assertTrue(Files.isRegularFile(clone.resolve(tool + "/target/" + tool + ".jar")), tool + ".jar not built");
    }
  }

  /**
   * A tree whose jar is older than a source is rebuilt before it runs (after a git pull); an
   * up-to-date one is not. The tree holds the launcher, the real jar and a few sources; the mvn
   * on PATH only records that it was asked to build.
   */
  @Test
  void rebuildsAStaleJarAndOnlyThat() throws Exception {
    Path tree = tmp.resolve("tree");
    Files.createDirectories(tree.resolve("bin"));
    Files.copy(Repo.bin("launch"), tree.resolve("bin/launch"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(Repo.bin("mkdaxfs"), tree.resolve("bin/mkdaxfs"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(tree.resolve("pom.xml"), "<project/>\n");
    Path source = Files.createDirectories(tree.resolve("cli-support/src/main/java")).resolve("Sizes.java");
    Files.writeString(tree.resolve("cli-support/pom.xml"), "<project/>\n");
    Files.writeString(source, "class Sizes {}\n");
    Files.writeString(Files.createDirectories(tree.resolve("fuzz/src/main")).resolve("Model.java"), "x\n");
    Files.writeString(tree.resolve("fuzz/pom.xml"), "<project/>\n");
    Path jar = Files.createDirectories(tree.resolve("mkdaxfs/target")).resolve("mkdaxfs.jar");
    Files.copy(Repo.root().resolve("mkdaxfs/target/mkdaxfs.jar"), jar);
    Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path calls = tmp.resolve("mvn-calls");
    Files.writeString(fakeBin.resolve("mvn"), "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(fakeBin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = userEnv();
    env.put("PATH", fakeBin + ":/usr/bin:/bin");
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    for (Path p : List.of(tree.resolve("pom.xml"), tree.resolve("cli-support/pom.xml"), source,
        tree.resolve("cli-support/src/main/java"), tree.resolve("cli-support/src/main"))) {
      Files.setLastModifiedTime(p, old);
    }

    // Only sources of modules the tools are not built from (fuzz) are newer: no build.
    Run fresh = Run.of(tmp, env, List.of(tree.resolve("bin/mkdaxfs").toString(), "--version"));
    assertEquals(0, fresh.exit(), fresh::toString);
    assertFalse(Files.exists(calls), fresh::toString);
    assertFalse(fresh.err().contains("building"), fresh::toString);

    Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Run stale = Run.of(tmp, env, List.of(tree.resolve("bin/mkdaxfs").toString(), "--version"));
    assertEquals(0, stale.exit(), stale::toString);
    assertTrue(stale.err().contains("mkdaxfs: sources changed since mkdaxfs.jar was built: building the tools"),
        stale::toString);
    assertTrue(Files.readString(calls).contains("-pl mkdaxfs,daxfs-fsck,daxfs-inspect,daxfsfuse -am package"));
    assertTrue(stale.out().startsWith("mkdaxfs "), stale::toString);
  }

  private Run mkdaxfsVersion(Map<String, String> env) throws Exception {
    return Run.of(tmp, env, List.of(Repo.bin("mkdaxfs").toString(), "--version"));
  }

  /**
   * A JDK directory that claims feature version {@code feature} in its release file and whose
   * bin/java notes that it ran, then hands over to the JDK running this test.
   */
  private Path recordingJdk(String name, int feature) throws IOException {
    Path home = Files.createDirectories(tmp.resolve(name + "/bin")).getParent();
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + feature + ".0.1\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\ntouch '" + home.resolve("used") + "'\nexec '"
        + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private static int currentJdkFeature() {
    return Runtime.version().feature();
  }

  private static void assumeInstalledJdk25() {
    Path home = Path.of(System.getProperty("java.home"));
    boolean standard = home.startsWith("/usr/lib/jvm") || home.startsWith("/opt");
    assumeTrue(standard, () -> loud("the JDK " + home + " is not under /usr/lib/jvm or /opt"));
  }

  private static String loud(String reason) {
    String msg = "SKIPPED: " + reason;
    System.err.println(msg);
    return msg;
  }

  /** The source tree without build output or history, as a fresh clone has it. */
  private static void copySources(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String name = dir.getFileName().toString();
        if (!dir.equals(from) && (name.equals("target") || name.equals(".git"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file)), LinkOption.NOFOLLOW_LINKS,
            StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
