package dev.daxfs.cli;

/**
 * What a tool says when mapped image memory faults under it. The JVM turns the SIGBUS of a mapped
 * page that no longer exists into {@link InternalError}; every tool catches it where it reads an
 * image and says this, naming the image, instead of a stack trace.
 */
public final class Unreadable {
  private Unreadable() {}

  public static final String MESSAGE =
      "cannot read the image: it shrank while being read (the file was truncated or the device resized)";
}
