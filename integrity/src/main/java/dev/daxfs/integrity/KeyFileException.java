package dev.daxfs.integrity;

import java.nio.file.Path;

/** A key file that cannot be used, with a message naming the file and what is wrong with it. */
public final class KeyFileException extends Exception {
  KeyFileException(Path file, String message) {
    super(file + ": " + message);
  }

  KeyFileException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
