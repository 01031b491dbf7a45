package dev.daxfs.format;

/**
 * The one failure the codec raises for bytes that do not form what they claim to be. It names the
 * structure being read and the absolute byte offset where the problem sits.
 */
public class FormatException extends RuntimeException {
  private final String structure;
  private final long offset;

  public FormatException(String structure, long offset, String message) {
    super(structure + " at offset " + Long.toUnsignedString(offset) + ": " + message);
    this.structure = structure;
    this.offset = offset;
  }

  public String structure() { return structure; }

  /** Absolute byte offset in the image (or device memory) of the problem. */
  public long offset() { return offset; }

  /** The message without the structure/offset prefix. */
  public String detail() {
    String m = getMessage();
    return m.substring(m.indexOf(": ") + 2);
  }
}
