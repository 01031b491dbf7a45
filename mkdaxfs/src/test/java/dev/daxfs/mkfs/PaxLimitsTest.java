package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended headers (PAX x and g, GNU L and K) cost bounded memory and linear time: the headers
 * of one member hold 1 MiB in all, counted before each is read; global headers are resolved
 * once, not merged into every member.
 */
class PaxLimitsTest {
  private static final byte[] PAX_NAME = "././@PaxHeader".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;

  @Test
  void chainedPaxHeadersOfOneMemberAreBoundedInAllAndRefusedUnread() throws IOException {
    // The second header's data is missing: reading it would report a truncated archive instead.
    byte[] tar = new RawTar().file("a", "first\n").extended('x', body(600 << 10))
        .header(PAX_NAME, 'x', 0644, 0, 0, 600 << 10, "").unfinished();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": after a: extended headers of the member starting at"
        + " offset 1024 add up to 1228800 bytes with the one at offset 615936 (limit 1048576 per member),"
        + " refused unread\n", r.err());
    assertEquals(List.of("t.tar"), Run.names(tmp));
  }

  @Test
  void aLongChainOfHeadersJustUnderTheLimitStopsAtTheSecond() throws IOException {
    RawTar t = new RawTar();
    for (int i = 0; i < 10; i++) {
      t.extended('x', body((1 << 20) - 512));
    }
    Run r = runArchive(t.file("victim", "v").finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": extended headers of the member starting at offset 0 add up"
        + " to 2096128 bytes with the one at offset 1048576 (limit 1048576 per member), refused unread\n", r.err());
  }

  @Test
  void gnuLongNamesCountTowardsTheSameLimit() throws IOException {
    byte[] tar = new RawTar().extended('L', name(600 << 10))
        .header(PAX_NAME, 'x', 0644, 0, 0, 600 << 10, "").unfinished();
    Run r = runArchive(tar);
    assertEquals(2, r.code());
    assertTrue(r.err().endsWith(": extended headers of the member starting at offset 0 add up to 1228800 bytes with"
        + " the one at offset 614912 (limit 1048576 per member), refused unread\n"), r.err());
  }

  @Test
  void headersOfOneMemberUpToTheLimitAreRead() throws IOException {
    byte[] tar = new RawTar().extended('x', body(500 << 10)).extended('x', body(500 << 10))
        .extended('L', "dir/long-name\0".getBytes(StandardCharsets.US_ASCII))
        .file("short", "content").finish();
    Run r = runArchive(tar);
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/", "/dir", "/dir/long-name"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
  }

  @Test
  void globalHeadersAreNotPiledUp() throws IOException {
    // Each just under the per-header limit; they replace, not accumulate.
    RawTar t = new RawTar();
    for (int i = 0; i < 5; i++) {
      t.extended('g', body((1 << 20) - 512));
    }
    Run r = runArchive(t.file("a", "x").finish());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void globalValuesApplyToEveryMemberAndMemberRecordsOverrideThem() throws IOException {
    byte[] tar = new RawTar().extended('g', RawTar.record("uid", "42"))
        .file("a", "a")
        .pax("uid", "7").file("b", "b")
        .pax("uid", "").header("c".getBytes(StandardCharsets.US_ASCII), '0', 0644, 5, 0, 1, "").data("c".getBytes())
        .file("d", "d")
        .finish();
    Run r = runArchive(tar);
    assertEquals(0, r.code(), r.err());
    var image = Trees.ofImage(tmp.resolve("img"));
    assertEquals(" 42 0 ", uidGid(image.get("/a")));
    assertEquals(" 7 0 ", uidGid(image.get("/b")));
    assertEquals(" 5 0 ", uidGid(image.get("/c")), "an empty value unsets the global one (POSIX)");
    assertEquals(" 42 0 ", uidGid(image.get("/d")));
  }

  @Test
  void aGlobalPathIsRefused() throws IOException {
    Run r = runArchive(new RawTar().extended('g', RawTar.record("path", "same")).file("a", "x").finish());
    assertEquals(2, r.code());
    assertEquals("mkdaxfs: " + tmp.resolve("t.tar") + ": global PAX header at offset 0 sets path for every member"
        + " that follows (not supported)\n", r.err());
  }

  @Test
  void manyMembersAfterABigGlobalHeaderCostLinearTime() throws IOException {
    // 60,000 records (~1 MiB) in one global header, then 20,000 members: copying and scanning the
    // global records per member took 46 s for this; resolved once, it is the cost of reading.
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    for (int i = 0; i < 60_000; i++) {
      records.writeBytes(RawTar.record("k" + i, "v"));
    }
    records.writeBytes(RawTar.record("uid", "42"));
    assertTrue(records.size() < 1 << 20, records.size() + " bytes");
    RawTar t = new RawTar().extended('g', records.toByteArray());
    int members = 20_000;
    for (int i = 0; i < members; i++) {
      t.header(("f" + i).getBytes(StandardCharsets.US_ASCII), '0', 0644, 0, 0, 0, "");
    }
    byte[] tar = t.finish();
    long start = System.nanoTime();
    TarReader reader = TarReader.open(new ByteArrayInputStream(tar), "t.tar");
    int n = 0;
    for (TarEntry e = reader.next(); e != null; e = reader.next()) {
      assertEquals(42, e.uid());
      n++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(members, n);
    assertTrue(seconds < 10, "read in " + seconds + " s");
  }

  /** A PAX header body of exactly {@code n} bytes: one comment record. */
  static byte[] body(int n) {
    for (int v = n - 32; v < n; v++) {
      byte[] rec = RawTar.record("comment", "c".repeat(v));
      if (rec.length == n) {
        return rec;
      }
    }
    throw new AssertionError("no record of " + n + " bytes");
  }

  private static byte[] name(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 'n');
    return b;
  }

  private static String uidGid(String described) {
    String[] f = described.split(" ");
    return " " + f[1] + " " + f[2] + " ";
  }

  private Run runArchive(byte[] tar) throws IOException {
    Path archive = tmp.resolve("t.tar");
    Files.write(archive, tar);
    return Run.of("-t", archive, "-o", tmp.resolve("img"));
  }
}
