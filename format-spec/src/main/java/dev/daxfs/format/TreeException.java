package dev.daxfs.format;

/** A tree that v3 cannot hold (bad or duplicate name, too many inodes, ...), naming the path. */
public final class TreeException extends RuntimeException {
  private final String path;

  public TreeException(String path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  public String path() { return path; }
}
