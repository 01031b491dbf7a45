package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void textShowsUtf8AsItIsAndEscapesTheRest() {
    assertEquals("café", Names.text("café".getBytes(StandardCharsets.UTF_8)));
    assertEquals("caf\\xe9", Names.text(new byte[] {'c', 'a', 'f', (byte) 0xe9}));
    assertEquals("a\\x0ab\\x1b[2J\\x7f", Names.text("a\nb\u001b[2J\u007f".getBytes(StandardCharsets.UTF_8)));
    // C1 controls are valid UTF-8 (two bytes each) but terminals act on them: both bytes escaped.
    assertEquals("\\xc2\\x9b", Names.text("\u009b".getBytes(StandardCharsets.UTF_8)));
    assertEquals("back\\\\slash", Names.text("back\\slash".getBytes(StandardCharsets.UTF_8)));
    // A sequence cut short at the end, and an overlong encoding of '/', are not UTF-8.
    assertEquals("x\\xe2\\x82", Names.text(new byte[] {'x', (byte) 0xe2, (byte) 0x82}));
    assertEquals("\\xc0\\xaf", Names.text(new byte[] {(byte) 0xc0, (byte) 0xaf}));
  }

  @Test
  void fromTextReadsWhatTextWrites() {
    assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, Names.fromText("caf\\xe9"));
    assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, Names.fromText("caf\\xE9"));
    assertArrayEquals("a\\b".getBytes(StandardCharsets.UTF_8), Names.fromText("a\\\\b"));
    // A backslash that starts no escape means itself, as a user would type it.
    assertArrayEquals("a\\qb\\x4".getBytes(StandardCharsets.UTF_8), Names.fromText("a\\qb\\x4"));
    assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), Names.fromText("é"));
  }

  @Test
  void everyNameRoundTripsAndNoTwoNamesShareAText() {
    Random random = new Random(7);
    Map<String, byte[]> seen = new HashMap<>();
    byte[] alphabet = {'a', '\\', 'x', '4', '1', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xe2, (byte) 0x82,
        (byte) 0xac, '\n', (byte) 0xc2, (byte) 0x9b, (byte) 0x80};
    for (int i = 0; i < 200_000; i++) {
      byte[] name = new byte[1 + random.nextInt(6)];
      for (int j = 0; j < name.length; j++) {
        name[j] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
      }
      String text = Names.text(name);
      assertArrayEquals(name, Names.fromText(text), text);
      byte[] earlier = seen.putIfAbsent(text, name);
      assertTrue(earlier == null || java.util.Arrays.equals(earlier, name), text);
      assertTrue(text.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), text);
    }
  }

  @Test
  void quotedAndOneLine() {
    assertEquals("'caf\\xe9'", Names.quoted(new byte[] {'c', 'a', 'f', (byte) 0xe9}));
    // A whole message: control characters escaped, backslashes (of names already escaped) kept.
    assertEquals("x: a\\x0ab: c\\x0ad\\x1b[0m\\x9b", Names.oneLine("x: a\\x0ab: c\nd\u001b[0m\u009b"));
    assertEquals("plain", Names.oneLine("plain"));
  }
}
