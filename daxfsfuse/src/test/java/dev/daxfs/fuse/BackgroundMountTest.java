package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daxfsfuse without -f, as a script runs it: the command returns once the mount is up, without
 * holding the caller's output open; the server runs on in a session of its own; fusermount3 -u
 * ends it, and nothing is left mounted or running.
 */
class BackgroundMountTest {
  @TempDir Path dir;

  @Test void withoutForegroundTheServerDaemonizesAndFusermountEndsIt() throws Exception {
    Mount.requireFuse();
    Path source = Files.createDirectory(dir.resolve("source"));
    SourceTree.create(source);
    Path image = dir.resolve("tree.daxfs");
    ImageWriter.write(ImageLayout.plan(SourceTree.read(source), ImageSpec.staticImage()), image,
        ImageWriter.Progress.NONE);
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    ProcessHandle server = null;
    try {
      Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
          "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          DaxfsFuse.class.getName(), image.toString(), mnt.toString())
          .redirectErrorStream(true).start();
      // Read to end of file: that comes only when no process holds the caller's pipe any more, so
      // a server that kept it open (as $(daxfsfuse ...) in a script would see) fails here.
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> {
        try {
          p.getInputStream().transferTo(said);
        } catch (java.io.IOException e) {
          // the assertion below shows what was read
        }
      });
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "daxfsfuse did not return within 60 s");
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(reader.isAlive(), "the background server holds the caller's stdout or stderr open");
      assertEquals(0, p.exitValue(), said.toString(StandardCharsets.UTF_8));
      assertEquals("", said.toString(StandardCharsets.UTF_8));
      assertTrue(Mounts.isDaxfsMount(mnt), "not mounted after daxfsfuse returned");
      assertEquals("hello\n", Files.readString(mnt.resolve("plain.txt")));

      server = serverOf(mnt).orElseThrow(() -> new AssertionError("no server process for " + mnt));
      assertFalse(server.parent().map(h -> h.pid() == p.pid()).orElse(false), "the server is the command's child");
      // setsid: the server leads a session of its own (no controlling terminal, no hangup from the caller's).
      String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      assertEquals(Long.toString(server.pid()), fields[3], "session of the server: " + stat);

      Process u = new ProcessBuilder("fusermount3", "-u", mnt.toString()).redirectErrorStream(true).start();
      String unmountSaid = new String(u.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(u.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, u.exitValue(), unmountSaid);
      assertTrue(server.onExit().get(30, TimeUnit.SECONDS) != null);
      assertFalse(server.isAlive(), "the server still runs after fusermount3 -u");
      assertFalse(Mounts.isDaxfsMount(mnt), "still mounted after fusermount3 -u");
      assertEquals(List.of(), serverOf(mnt).stream().toList(), "a server process is left");
    } finally {
      if (Mounts.isDaxfsMount(mnt)) {
        new ProcessBuilder("fusermount3", "-u", "-z", mnt.toString()).start().waitFor(30, TimeUnit.SECONDS);
      }
      if (server != null && server.isAlive()) {
        server.destroyForcibly();
      }
    }
  }

  /** The daxfsfuse server serving {@code mnt}: a process whose command line names it and -f. */
  private static Optional<ProcessHandle> serverOf(Path mnt) {
    return ProcessHandle.allProcesses().filter(h -> h.info().arguments()
        .map(a -> List.of(a).contains(mnt.toString()) && List.of(a).contains("-f")
            && List.of(a).contains(DaxfsFuse.class.getName()))
        .orElse(false)).findFirst();
  }
}
