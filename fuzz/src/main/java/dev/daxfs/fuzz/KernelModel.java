package dev.daxfs.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle: what the DAXFS v3 kernel module (upstream commit 1ce7d9a) would do with an image.
 * It mounts the image with the {@code validate} option (read-write, so a branching image gets its
 * new main), walks the mounted view, and replays every ACTIVE persisted branch as our tools read
 * it, recording each {@link Hazard} on the way. See FORMAT.md, "Kernel model coverage".
 */
public final class KernelModel {
  private KernelModel() {}

  /**
   * What the model saw. {@code refusal} is null when the mount succeeded; {@code views} maps
   * "mount" and each persisted ACTIVE branch to what a full walk showed; {@code kernelDefects} are
   * known module bugs that hit every image of this shape (not hazards of the image).
   */
  public record Report(String refusal, List<Hazard> hazards, long droppedHazards, Map<String, Snapshot> views,
      List<String> kernelDefects, byte[] afterMount) {

    public boolean mounted() { return refusal == null; }

    /** True when the image mounts and nothing the model reads or writes goes wrong. */
    public boolean clean() { return mounted() && hazards.isEmpty(); }

    @Override public String toString() {
      StringBuilder b = new StringBuilder(mounted() ? "mounted" : "refused: " + refusal);
      for (Hazard h : hazards) {
        b.append("\n  ").append(h);
      }
      if (droppedHazards > 0) {
        b.append("\n  ... and ").append(droppedHazards).append(" more");
      }
      return b.toString();
    }
  }

  /** Mounts with {@code validate}, walks every view. Never throws for any input. */
  public static Report examine(byte[] image) {
    KernelMount m = KernelMount.mount(image, true);
    Map<String, Snapshot> views = new LinkedHashMap<>();
    List<String> defects = new ArrayList<>(m.kernelDefects);
    if (m.mounted()) {
      m.mem.context("mounted view");
      views.put("mount", Traversal.walk(BranchView.mounted(m), "mount"));
      m.mem.context("");
      if (!m.staticImage) {
        if (views.get("mount").paths().values().stream().anyMatch(s -> s.target() != null)) {
          defects.add("readlink of a base-image symlink in a branching mount dereferences NULL (i_link unset)");
        }
        views.putAll(PersistedBranches.views(m));
      }
    }
    return new Report(m.refusal, m.hazards(), m.mem.droppedHazards(), views, List.copyOf(defects),
        m.mem.snapshot());
  }
}
