package dev.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON every --json option prints: the shapes the commands use, and strings that read back. */
class JsonTest {
  @Test void valuesOfEveryKindTheCommandsPrint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", -2L);
    m.put("big", Long.MIN_VALUE);
    m.put("ok", true);
    m.put("none", null);
    m.put("list", List.of(1, "two", List.of(), Map.of()));
    m.put("path", Path.of("/x"));
    assertEquals("{\"z\":1,\"a\":-2,\"big\":-9223372036854775808,\"ok\":true,\"none\":null,"
        + "\"list\":[1,\"two\",[],{}],\"path\":\"/x\"}", Json.write(m));
    assertEquals("null", Json.write(null));
    assertEquals("[]", Json.write(new ArrayList<>()));
    // Keys that are not strings are written as their text.
    assertEquals("{\"7\":\"x\"}", Json.write(Map.of(7, "x")));
  }

  @Test void stringsAreEscapedPerRfc8259() {
    assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u001f\u007f\u2028é\uD83D\uDE00\"",
        Json.write("a\"b\\c\nd\re\tf\u0001\u001f\u007f\u2028é\uD83D\uDE00"));
    // A name already escaped for text keeps its backslashes, doubled: JSON readers give caf\xe9 back.
    assertEquals("\"caf\\\\xe9\"", Json.write("caf\\xe9"));
  }

  @Test void everyStringReadsBackAndNoRawControlCharacterIsLeft() {
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      char[] chars = new char[random.nextInt(12)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = random.nextBoolean() ? (char) random.nextInt(0x80) : (char) random.nextInt(0x10000);
      }
      String s = new String(chars);
      String json = Json.write(s);
      assertTrue(json.chars().noneMatch(c -> c < 0x20), json);
      assertEquals(s, readString(json), Arrays.toString(chars));
    }
  }

  /** A JSON string literal's value (RFC 8259 section 7), strictly: anything else fails. */
  private static String readString(String json) {
    assertTrue(json.length() >= 2 && json.charAt(0) == '"' && json.charAt(json.length() - 1) == '"', json);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < json.length() - 1; i++) {
      char c = json.charAt(i);
      if (c == '"') {
        throw new AssertionError("unescaped quote in " + json);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new AssertionError("bad escape \\" + e + " in " + json);
      }
    }
    return sb.toString();
  }

  private record Path(String text) {
    static Path of(String text) { return new Path(text); }

    @Override public String toString() { return text; }
  }
}
