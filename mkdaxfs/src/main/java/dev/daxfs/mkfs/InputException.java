package dev.daxfs.mkfs;

import java.io.IOException;

/**
 * The input (a source file, directory or archive entry) cannot be read or stored; the message
 * names it. Kept apart from other IOExceptions so the exit code tells input from output trouble.
 */
final class InputException extends IOException {
  InputException(String message) {
    super(message);
  }

  InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
