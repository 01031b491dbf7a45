package dev.daxfs.nativemem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the tools undo when the process ends before they are done: SIGINT, SIGTERM and SIGHUP end
 * the JVM through its shutdown hooks with status 128 + the signal's number (130, 143, 129), and
 * respect a signal ignored at start (nohup). A shutdown hook cannot stop the thread still writing,
 * so the hook and the steps that give an output its name share one lock: once the hook has run,
 * no output is renamed into place. Temporary files with a name (where the file system has no
 * O_TMPFILE) are deleted; an O_TMPFILE has no name, so even SIGKILL leaves nothing behind.
 */
public final class Interruption {
  private static final Object LOCK = new Object();
  private static final Set<Path> TEMPORARY = new LinkedHashSet<>();
  private static final List<Runnable> ACTIONS = new ArrayList<>();
  private static boolean installed;
  private static boolean ending;

  private Interruption() {}

  /**
   * Runs {@code action} (e.g. erasing a progress line) if the process ends before the returned
   * registration is closed. The action runs under the lock that {@link #quietly} takes.
   */
  public static Registration onEnd(Runnable action) {
    synchronized (LOCK) {
      install();
      ACTIONS.add(action);
    }
    return () -> {
      synchronized (LOCK) {
        ACTIONS.remove(action);
      }
    };
  }

  /** An action registered with {@link #onEnd}; closing it cancels the action. */
  public interface Registration extends AutoCloseable {
    @Override void close();
  }

  /** Runs {@code output} (a terminal redraw) unless the process is ending, never during the hook. */
  public static void quietly(Runnable output) {
    synchronized (LOCK) {
      if (!ending) {
        output.run();
      }
    }
  }

  /** A step that names an output: it runs before the hook or not at all. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  static void naming(Step step) throws IOException {
    synchronized (LOCK) {
      if (ending) {
        throw new IOException("the process is ending (interrupted); the output is not replaced");
      }
      step.run();
    }
  }

  /** Deletes {@code file} if the process ends before {@link #forget}. Called under the lock or before naming. */
  static void remember(Path file) {
    synchronized (LOCK) {
      install();
      TEMPORARY.add(file);
    }
  }

  static void forget(Path file) {
    synchronized (LOCK) {
      TEMPORARY.remove(file);
    }
  }

  /** Installs the hook (once); an output created after the process began to end is never named. */
  static void install() {
    synchronized (LOCK) {
      if (!installed) {
        installed = true;
        try {
          Runtime.getRuntime().addShutdownHook(new Thread(Interruption::end, "interruption"));
        } catch (IllegalStateException e) {
          ending = true;
        }
      }
    }
  }

  private static void end() {
    synchronized (LOCK) {
      ending = true;
      for (Path p : TEMPORARY) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          System.err.println("cannot delete the temporary file " + p + ": " + e.getMessage());
        }
      }
      TEMPORARY.clear();
      for (Runnable action : ACTIONS) {
        action.run();
      }
    }
  }
}
