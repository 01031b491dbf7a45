package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Format;
import dev.daxfs.format.ReplayProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * FORMAT.md's numbered validity rules and {@link Rule} say the same thing: the same numbers, each
 * with the same severity and the same **K** mark (the kernel's own validate enforces it).
 */
class RuleSheetTest {
  private static final Path SHEET = Path.of("..", "format-spec", "FORMAT.md");
  /** "17. error — ..." or "1. **K** error — ...". */
  private static final Pattern RULE = Pattern.compile("^(\\d+)\\. (\\*\\*K\\*\\* )?(error|warning) — .*");

  @Test void everyRuleOfTheSheetIsInTheEnumAndNoOther() throws Exception {
    Map<Integer, String> sheet = new TreeMap<>();
    boolean inRules = false;
    for (String line : Files.readAllLines(SHEET)) {
      if (line.startsWith("## ")) {
        inRules = line.equals("## Validity rules");
        continue;
      }
      Matcher m = RULE.matcher(line);
      if (inRules && m.matches()) {
        String previous = sheet.put(Integer.parseInt(m.group(1)), describe(m.group(2) != null, m.group(3)));
        assertEquals(null, previous, "rule " + m.group(1) + " is numbered twice in FORMAT.md");
      }
    }
    Map<Integer, String> code = Arrays.stream(Rule.values()).collect(Collectors.toMap(Rule::number,
        r -> describe(r.kernel(), r.severity().name().toLowerCase()), (a, b) -> {
          throw new AssertionError("two rules share a number");
        }, TreeMap::new));
    assertEquals(sheet, code, "FORMAT.md (expected) and Rule.java (actual) differ");
  }

  /** One grep for "rule57" finds the test of rule 57: every rule has a RuleTest method named so. */
  @Test void everyRuleHasItsTest() {
    var names = Arrays.stream(RuleTest.class.getDeclaredMethods()).map(java.lang.reflect.Method::getName).toList();
    for (Rule r : Rule.values()) {
      Pattern test = Pattern.compile("rule(\\d+And)*" + r.number() + "(And\\d+)*[A-Z].*");
      assertTrue(names.stream().anyMatch(n -> test.matcher(n).matches()), "no RuleTest method for rule " + r.number());
    }
  }

  @Test void numberedFindsEveryRule() {
    for (Rule r : Rule.values()) {
      assertEquals(r, Rule.numbered(r.number()));
    }
    assertThrows(IllegalArgumentException.class, () -> Rule.numbered(0));
    assertThrows(IllegalArgumentException.class, () -> Rule.numbered(Rule.values().length + 1));
  }

  /** Replay's problem kinds name rules: those fsck reports through the replay are 49-53, the others are not. */
  @Test void replayProblemKindsCarryTheirRule() {
    for (ReplayProblem.Kind k : ReplayProblem.Kind.values()) {
      for (int type = 1; type <= 8; type++) {
        int n = k.rule(type);
        if (k.replayRule()) {
          assertTrue(n >= 49 && n <= 53, k + " is a replay rule but names rule " + n);
          Rule.numbered(n);
        } else {
          assertTrue(n < 49, k + " names rule " + n);
        }
      }
    }
    assertEquals(52, ReplayProblem.Kind.INODE_NOT_FOUND.rule(Format.DELTA_RENAME));
    assertEquals(53, ReplayProblem.Kind.INODE_NOT_FOUND.rule(Format.DELTA_WRITE));
  }

  private static String describe(boolean kernel, String severity) {
    return (kernel ? "K " : "") + severity;
  }
}
