package dev.daxfs.format;

/** What makes a name unusable in a directory (base dirent or log entry); shared by replay and fsck. */
public final class Names {
  private Names() {}

  /** Why {@code name} cannot be a directory entry, or null when it can. */
  public static String problem(byte[] name) {
    if (name.length == 0) {
      return "empty name";
    }
    if (name.length > Format.NAME_MAX) {
      return "name of " + name.length + " bytes, over " + Format.NAME_MAX;
    }
    if (name.length <= 2 && name[0] == '.' && (name.length == 1 || name[1] == '.')) {
      return "name '" + new String(name, java.nio.charset.StandardCharsets.UTF_8) + "'";
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return "name holds " + (b == 0 ? "a NUL" : "'/'");
      }
    }
    return null;
  }
}
