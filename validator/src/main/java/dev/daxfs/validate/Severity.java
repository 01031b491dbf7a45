package dev.daxfs.validate;

/** How bad a broken rule is (FORMAT.md, "Validity rules"). */
public enum Severity {
  /** The image is unsafe or has no single meaning. */
  ERROR,
  /** Bookkeeping the v3 kernel itself writes inconsistently and never reads back. */
  WARNING;

  public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
