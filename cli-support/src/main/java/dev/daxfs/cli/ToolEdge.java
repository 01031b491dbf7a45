package dev.daxfs.cli;

import dev.daxfs.nativemem.UnsupportedArchitectureException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.IntSupplier;

/**
 * The outermost frame of every tool. Commands turn what they expect into messages and exit codes;
 * whatever still escapes (a bug, an unsupported architecture met in a class initialiser, an
 * exhausted heap) is said here in one line naming the tool, never as a stack trace.
 */
public final class ToolEdge {
  private static final int MAX_CAUSES = 16;

  private ToolEdge() {}

  /** Runs {@code command}; if it throws, says so on {@code err} and returns {@code status}. */
  public static int run(String tool, int status, PrintStream err, IntSupplier command) {
    try {
      return command.getAsInt();
    } catch (RuntimeException | Error e) {
      err.println(tool + ": " + describe(e));
      err.flush();
      return status;
    }
  }

  /** A usage error, as every tool says one: what is wrong, then where the help is. */
  public static void sayUsageError(String tool, PrintWriter err, String message) {
    err.println(tool + ": " + message);
    err.println("Try '" + tool + " --help' for more information.");
  }

  /** One line for an escaped throwable: the platform's refusal if that is the cause, else a bug. */
  public static String describe(Throwable t) {
    Throwable c = t;
    for (int i = 0; c != null && i < MAX_CAUSES; i++, c = c.getCause()) {
      if (c instanceof UnsupportedArchitectureException u) {
        return u.getMessage();
      }
    }
    return "internal error: " + t;
  }
}
