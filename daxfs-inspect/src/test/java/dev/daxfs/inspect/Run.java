package dev.daxfs.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of daxfs-inspect: exit status, stdout (text and raw bytes), stderr. */
record Run(int status, byte[] raw, String err) {

  static Run of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Inspect.run(out, err, args);
    return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** A run that must succeed without a word on stderr. */
  static Run ok(String... args) {
    Run r = of(args);
    org.junit.jupiter.api.Assertions.assertEquals(0, r.status(), r::toString);
    org.junit.jupiter.api.Assertions.assertEquals("", r.err(), r::toString);
    return r;
  }

  /** A diff that finds differences: exit 1, as diff(1), without a word on stderr. */
  static Run differs(String... args) {
    Run r = of(args);
    org.junit.jupiter.api.Assertions.assertEquals(1, r.status(), r::toString);
    org.junit.jupiter.api.Assertions.assertEquals("", r.err(), r::toString);
    return r;
  }

  String out() { return new String(raw, StandardCharsets.UTF_8); }

  @Override public String toString() { return "status " + status + "\n--- out\n" + out() + "--- err\n" + err; }
}
