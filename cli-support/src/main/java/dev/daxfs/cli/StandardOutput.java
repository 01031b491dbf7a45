package dev.daxfs.cli;

/**
 * A write error on standard output (closed with {@code >&-}, a full disk) is an error, as in
 * coreutils: Java's System.out only records it, so the output was lost with exit 0.
 */
public final class StandardOutput {
  private StandardOutput() {}

  /**
   * {@code status}, or {@code writeError} with a line on stderr when stdout failed a success. A pipe
   * whose reader left ({@code | head -1}) is not an error: other tools die quietly of SIGPIPE there.
   */
  public static int checked(String tool, int status, int writeError) {
    if (!System.out.checkError() || toPipe()) {
      return status;
    }
    System.err.println(tool + ": write error on standard output");
    System.err.flush();
    return status == 0 ? writeError : status;
  }

  private static boolean toPipe() {
    try {
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString().startsWith("pipe:");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
