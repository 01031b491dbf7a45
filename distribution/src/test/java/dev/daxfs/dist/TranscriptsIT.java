package dev.daxfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcripts in README.md and docs/ that are marked {@code <!-- transcript -->} are real: each
 * {@code $ command} line runs (with bin/ and examples/ of this checkout beside it) and prints
 * exactly the lines that follow it. Timings ("0.18 s") are the one thing allowed to differ.
 */
class TranscriptsIT {
  static final String MARK = "<!-- transcript -->";

  @TempDir Path tmp;

  record Step(String command, String expected) {}

  record Transcript(Path page, int line, List<Step> steps) {}

  static List<Transcript> transcripts(Path page) throws IOException {
    List<String> lines = Files.readAllLines(page);
    List<Transcript> found = new ArrayList<>();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (!lines.get(i).strip().equals(MARK) || !lines.get(i + 1).startsWith("```")) {
        continue;
      }
      List<Step> steps = new ArrayList<>();
      String command = null;
      StringBuilder expected = new StringBuilder();
      int j = i + 2;
      for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
        String l = lines.get(j);
        if (l.startsWith("$ ")) {
          if (command != null) {
            steps.add(new Step(command, expected.toString()));
          }
          command = l.substring(2);
          expected.setLength(0);
        } else {
          expected.append(l).append('\n');
        }
      }
      if (command != null) {
        steps.add(new Step(command, expected.toString()));
      }
      found.add(new Transcript(page, i + 1, steps));
      i = j;
    }
    return found;
  }

  static String timingsMasked(String s) {
    return s.replaceAll("\\b\\d+(\\.\\d+)? (s|ms)\\b", "T $2");
  }

  @TestFactory
  Stream<DynamicTest> markedTranscriptsPrintWhatTheySay() throws IOException {
    Path root = Repo.root();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Transcript> all = new ArrayList<>();
    for (Path page : pages) {
      all.addAll(transcripts(page));
    }
    assertFalse(all.isEmpty(), "README.md's tour is a marked transcript");
    return all.stream().map(t -> DynamicTest.dynamicTest(
        root.relativize(t.page()) + ":" + t.line(), () -> replay(root, t)));
  }

  private void replay(Path root, Transcript t) throws Exception {
    Path cwd = Files.createTempDirectory(tmp, "transcript");
    Files.createSymbolicLink(cwd.resolve("bin"), root.resolve("bin"));
    Files.createSymbolicLink(cwd.resolve("examples"), root.resolve("examples"));
    Files.createDirectories(root.resolve("examples/rootfs/empty"));
    for (Step step : t.steps()) {
      Run r = Run.sh(cwd, LaunchersIT.userEnv(), step.command() + " 2>&1");
      assertEquals(timingsMasked(step.expected()), timingsMasked(r.out()),
          () -> t.page() + ":" + t.line() + ": $ " + step.command() + "\n" + r);
    }
    Files.delete(cwd.resolve("bin"));   // JUnit warns about links leaving its temp dir
    Files.delete(cwd.resolve("examples"));
  }
}
