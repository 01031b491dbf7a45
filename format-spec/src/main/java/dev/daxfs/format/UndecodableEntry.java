package dev.daxfs.format;

/**
 * A delta log entry that cannot be decoded, with what is wrong with it, so a checker learns the
 * reason from the decoder instead of reading the header again.
 */
public final class UndecodableEntry extends FormatException {
  /** What makes the entry undecodable; each is one validity rule (FORMAT.md rules 44, 45, 46). */
  public enum Flaw {
    /** No header fits before the capacity, or total_size is below a header or past the capacity. */
    FRAMING,
    /** A type that is none of 1..8. */
    TYPE,
    /** The payload's fixed part, names or data do not fit in the entry, or a symlink target lacks its NUL. */
    PAYLOAD
  }

  private final Flaw flaw;
  private final String expected;

  UndecodableEntry(String structure, long offset, Flaw flaw, String expected, String message) {
    super(structure, offset, message);
    this.flaw = flaw;
    this.expected = expected;
  }

  public Flaw flaw() { return flaw; }

  /** What a valid entry has there, in words ("type 1..8"). */
  public String expected() { return expected; }
}
