package dev.daxfs.mkfs;

import static dev.daxfs.format.Format.S_IFBLK;
import static dev.daxfs.format.Format.S_IFCHR;
import static dev.daxfs.format.Format.S_IFIFO;
import static dev.daxfs.format.Format.S_IFMT;
import static dev.daxfs.format.Format.S_IFSOCK;

import java.util.ArrayList;
import java.util.List;

/**
 * Devices, fifos and sockets, which v3 cannot store: skipped (and counted for one summary
 * warning) or an input error, as --special says. Never written as fake regular files.
 */
final class SpecialFiles {
  enum Policy { SKIP, ERROR }

  /** --special's words, in lower case in help, completion and errors (picocli shows enum names). */
  static final class PolicyNames implements picocli.CommandLine.ITypeConverter<Policy>, Iterable<String> {
    @Override public Policy convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "skip" -> Policy.SKIP;
        case "error" -> Policy.ERROR;
        default -> throw new picocli.CommandLine.TypeConversionException("expected skip or error, not '" + value + "'");
      };
    }

    @Override public java.util.Iterator<String> iterator() {
      return List.of("skip", "error").iterator();
    }
  }

  private final Policy policy;
  private final List<String> skipped = new ArrayList<>();

  SpecialFiles(Policy policy) {
    this.policy = policy;
  }

  /** Records the special file at {@code path}, whose st_mode is {@code mode}. */
  synchronized void found(String path, int mode) throws InputException {
    if (policy == Policy.ERROR) {
      throw new InputException(path + ": " + kind(mode) + " cannot be stored in DAXFS v3 (--special error)");
    }
    skipped.add(path);
  }

  /** The skipped paths, sorted so the warning is the same on every run. */
  synchronized List<String> skipped() {
    return skipped.stream().sorted().toList();
  }

  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case S_IFCHR -> "character device";
      case S_IFBLK -> "block device";
      case S_IFIFO -> "fifo";
      case S_IFSOCK -> "socket";
      default -> "file of type 0" + Integer.toOctalString(mode & S_IFMT);
    };
  }
}
