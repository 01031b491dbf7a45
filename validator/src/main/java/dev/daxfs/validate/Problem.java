package dev.daxfs.validate;

/**
 * One broken rule: in which structure, at which absolute byte offset of the image, for which inode
 * ({@code 0} when none) and path ({@code null} when unknown), what was expected and what was found.
 */
public record Problem(Rule rule, String structure, long offset, long inode, String path, String expected,
    String found) {

  public Severity severity() { return rule.severity(); }

  /** One line: rule, severity, structure, offset, inode/path, expected, found. */
  @Override public String toString() {
    StringBuilder sb = new StringBuilder()
        .append("rule ").append(rule.number()).append(' ').append(severity().label()).append(": ")
        .append(structure).append(" at offset ").append(Long.toUnsignedString(offset));
    if (inode != 0 || path != null) {
      sb.append(" (");
      if (inode != 0) {
        sb.append("inode ").append(Long.toUnsignedString(inode));
      }
      if (path != null) {
        sb.append(inode != 0 ? " " : "").append(path);
      }
      sb.append(')');
    }
    return sb.append(": expected ").append(expected).append(", found ").append(found).toString();
  }
}
