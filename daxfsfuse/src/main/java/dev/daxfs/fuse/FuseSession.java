package dev.daxfs.fuse;

import static dev.daxfs.fuse.LibFuse.Fn;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One libfuse session: mount, serve until unmounted, clean up. It ends when the file system is
 * unmounted (fusermount3 -u, umount) or the process is asked to stop (SIGINT, SIGTERM, SIGHUP):
 * the JVM owns those signals, so a shutdown hook detaches the mount, which ends the loop, and
 * waits for the session to be torn down before the JVM exits.
 */
final class FuseSession {
  private FuseSession() {}

  /** Mounts {@code server} at {@code mountpoint} with the -o {@code options}; returns when unmounted. */
  static void serve(ViewServer server, Path mountpoint, List<String> options) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      String[] argv = {"daxfsfuse", "-o", String.join(",", options)};
      MemorySegment array = arena.allocate(ADDRESS, argv.length + 1L);
      for (int i = 0; i < argv.length; i++) {
        array.setAtIndex(ADDRESS, i, arena.allocateFrom(argv[i]));
      }
      MemorySegment args = arena.allocate(LibFuse.ARGS_SIZE, 8);
      args.set(JAVA_INT, 0, argv.length);
      args.set(ADDRESS, LibFuse.ARGS_ARGV, array);
      MemorySegment point = arena.allocateFrom(mountpoint.toString());
      MemorySegment se = (MemorySegment) call(Fn.SESSION_NEW, args, server.operations(), LibFuse.OPS_SIZE,
          MemorySegment.NULL);
      if (se.equals(MemorySegment.NULL)) {
        // libfuse has printed why (an unknown -o option, usually).
        throw new IOException("libfuse refused the options " + argv[2]);
      }
      if ((int) call(Fn.SESSION_MOUNT, se, point) != 0) {
        call(Fn.SESSION_DESTROY, se);
        throw new IOException(mountpoint + ": cannot mount (libfuse's reason is above)");
      }
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> stop(mountpoint, done), "daxfsfuse-unmount");
      Runtime.getRuntime().addShutdownHook(hook);
      call(Fn.SESSION_LOOP, se);
      call(Fn.SESSION_UNMOUNT, se);
      call(Fn.SESSION_DESTROY, se);
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it waits for the countDown above.
      }
    }
  }

  /** From the shutdown hook: detach the mount (ending the loop) and wait for the session's cleanup. */
  private static void stop(Path mountpoint, CountDownLatch done) {
    if (done.getCount() == 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      if ("root".equals(System.getProperty("user.name"))) {
        int r = (int) LibFuse.UMOUNT2.invokeExact(arena.allocateFrom(mountpoint.toString()), LibFuse.MNT_DETACH);
      } else {
        new ProcessBuilder("fusermount3", "-u", "-z", "-q", mountpoint.toString()).inheritIO().start()
            .waitFor(10, TimeUnit.SECONDS);
      }
      done.await(10, TimeUnit.SECONDS);
    } catch (Throwable t) {
      System.err.println("daxfsfuse: " + mountpoint + ": unmount on exit failed: " + t);
    }
  }

  private static Object call(java.lang.invoke.MethodHandle h, Object... args) {
    try {
      return h.invokeWithArguments(args);
    } catch (Throwable t) {
      throw LibFuse.rethrow(t);
    }
  }
}
