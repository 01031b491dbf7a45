package dev.daxfs.inspect;

import dev.daxfs.format.FormatException;
import dev.daxfs.format.ReplayProblem;
import dev.daxfs.validate.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What could not be decoded or has no meaning, collected while a command reads the image. A
 * hostile log can hold millions of bad entries, so only the first {@value #KEPT} are kept.
 */
final class Problems implements Consumer<ReplayProblem> {
  static final int KEPT = 1000;
  private final List<ReplayProblem> replay = new ArrayList<>();
  private final List<FormatException> format = new ArrayList<>();
  private final List<Problem> invalid = new ArrayList<>();
  private long dropped;

  @Override public void accept(ReplayProblem p) {
    if (replay.size() + format.size() + invalid.size() < KEPT) {
      replay.add(p);
    } else {
      dropped++;
    }
  }

  void add(FormatException e) {
    if (replay.size() + format.size() + invalid.size() < KEPT) {
      format.add(e);
    } else {
      dropped++;
    }
  }

  /** An error daxfs-fsck reports for the image (one the decoding and replay above may not meet). */
  void add(Problem p) {
    if (replay.size() + format.size() + invalid.size() < KEPT) {
      invalid.add(p);
    } else {
      dropped++;
    }
  }

  /** Absolute offsets of the problems kept so far. */
  java.util.Set<Long> offsets() {
    java.util.Set<Long> out = new java.util.HashSet<>();
    format.forEach(e -> out.add(e.offset()));
    replay.forEach(p -> out.add(p.at()));
    return out;
  }

  boolean isEmpty() { return replay.isEmpty() && format.isEmpty() && invalid.isEmpty(); }

  /** One line each. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    format.forEach(e -> out.add(e.getMessage()));
    replay.forEach(p -> out.add(p.toString()));
    invalid.forEach(p -> out.add(p.toString()));
    if (dropped > 0) {
      out.add("... and " + dropped + " more");
    }
    return out;
  }

  List<Map<String, Object>> json() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (FormatException e : format) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("offset", e.offset());
      m.put("structure", e.structure());
      m.put("message", e.getMessage());
      out.add(m);
    }
    for (ReplayProblem p : replay) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("offset", p.at());
      m.put("kind", p.kind().name());
      if (p.type() != 0) {
        m.put("entry", dev.daxfs.format.Format.deltaTypeName(p.type()));
      }
      if (p.ino() != 0) {
        m.put("inode", Long.toUnsignedString(p.ino()));
      }
      m.put("message", p.toString());
      out.add(m);
    }
    for (Problem p : invalid) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("offset", p.offset());
      m.put("rule", p.rule().number());
      m.put("message", p.toString());
      out.add(m);
    }
    return out;
  }
}
