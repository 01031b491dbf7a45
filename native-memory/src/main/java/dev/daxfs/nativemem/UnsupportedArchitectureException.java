package dev.daxfs.nativemem;

/**
 * This machine's architecture has no column in {@link CConstant}'s table: its ioctl numbers and
 * struct layouts are unknown, so no system call that needs them may be made. Tools say this in one
 * line (see the cli-support edge) instead of failing in a class initialiser.
 */
public final class UnsupportedArchitectureException extends UnsupportedOperationException {
  UnsupportedArchitectureException(String osArch) {
    super("this machine's architecture " + osArch + " is not supported (x86_64 and aarch64 are)");
  }
}
