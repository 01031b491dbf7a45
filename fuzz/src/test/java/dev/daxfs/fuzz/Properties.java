package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.Node;
import dev.daxfs.format.Replay;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import dev.daxfs.validate.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The properties every fuzz target and property test checks; one place, so both check the same. */
final class Properties {
  private Properties() {}

  /** The fsck rules reported so far in this JVM: how much of the validator the inputs reach. */
  static final java.util.Set<Integer> RULES_REPORTED = new java.util.concurrent.ConcurrentSkipListSet<>();

  /**
   * Property 1: fsck returns a verdict (never throws); if it accepts, the kernel model mounts and
   * walks every view with no hazard; inspect never crashes ({@code scratch} receives the image).
   */
  static void verdictGuardsTheMount(byte[] image, Path scratch) {
    Report report = Oracles.fsck(image);
    report.problems().forEach(p -> RULES_REPORTED.add(p.rule().number()));
    if (Oracles.accepts(report)) {
      KernelModel.Report model = KernelModel.examine(image);
      if (!model.clean()) {
        throw new AssertionError("daxfs-fsck accepts an image the kernel mishandles: " + model
            + "\nfsck: " + report.problems());
      }
    }
    if (scratch != null) {
      Oracles.inspectNeverCrashes(image, scratch);
    }
    sealedViewsShowTheSame(image);
  }

  /**
   * Property 4: a sealed view (daxfsfuse's: base nodes read again when needed, kept only in bounded
   * caches) shows every branch as the view that keeps everything does, problems included. Not
   * compared: directory sizes (the kept view counts the entries it has read) and views where the
   * kept view ran out of its dirent budget (overlapping dirent arrays), which a sealed view does
   * not keep (its caches bound the memory instead).
   */
  static void sealedViewsShowTheSame(byte[] bytes) {
    Image image;
    try {
      image = Image.open(ImageBytes.of(bytes));
    } catch (dev.daxfs.format.FormatException e) {
      return;
    }
    List<dev.daxfs.format.BranchRecord> branches = new ArrayList<>();
    branches.add(null);
    try {
      branches.addAll(image.branchTable().records());
    } catch (dev.daxfs.format.FormatException e) {
      // the base alone
    }
    for (var b : branches) {
      List<String> keptProblems = new ArrayList<>();
      List<String> sealedProblems = new ArrayList<>();
      var kept = b == null ? Replay.base(image, p -> keptProblems.add(p.message()))
          : Replay.branch(image, b, p -> keptProblems.add(p.message()));
      var sealed = b == null ? Replay.base(image, p -> sealedProblems.add(p.message()))
          : Replay.branch(image, b, p -> sealedProblems.add(p.message()));
      sealed.seal();
      List<String> keptWalk = walk(kept);
      List<String> sealedWalk = walk(sealed);
      if (keptProblems.stream().anyMatch(m -> m.contains("more than the base has room for"))) {
        continue;
      }
      String which = b == null ? "base" : "slot " + b.slot();
      assertEquals(keptWalk, sealedWalk, () -> "sealed view of " + which);
      assertEquals(new java.util.TreeSet<>(keptProblems), new java.util.TreeSet<>(sealedProblems),
          () -> "problems of the sealed view of " + which);
    }
  }

  /** Every node of a view, with what a mount shows of it, and each node found again by its handle. */
  private static List<String> walk(dev.daxfs.format.BranchView view) {
    List<String> out = new ArrayList<>();
    view.walk(view.root(), "/", (path, n) -> {
      ViewNode again = view.node(view.handle(n)).orElseThrow();
      if (again.ino() != n.ino() || again.mode() != n.mode() || again.size() != n.size()) {
        throw new AssertionError(path + ": its handle names another node");
      }
      out.add(path + " " + n.ino() + " 0" + Integer.toOctalString(n.mode()) + " " + n.uid() + ":" + n.gid()
          + " nlink " + view.nlink(n) + (n.isDirectory() ? "" : " size " + n.size())
          + (n.isSymlink() ? " -> " + TreeSnapshot.latin1(n.target()) : "")
          + (n.isRegular() ? " " + view.extents(n) : ""));
      if (n.isDirectory()) {
        var all = view.entries(n);
        for (int from = 0; from <= all.size(); from += 7) {
          var piece = view.entries(n, from, 7);
          for (int i = 0; i < piece.size(); i++) {
            if (!java.util.Arrays.equals(piece.get(i).name(), all.get(from + i).name())) {
              throw new AssertionError(path + ": entries from " + from + " differ from the whole listing");
            }
          }
        }
      }
    });
    return out;
  }

  /** Property 2: a tree written by the codec is accepted, reads back equal, and the kernel shows it. */
  static void treeRoundTrips(Node.Directory tree, ImageSpec spec) {
    byte[] image = Images.write(tree, spec);
    Report report = Oracles.fsck(image);
    assertTrue(report.valid(true), () -> "fsck rejects a codec image: " + report.problems());
    Map<String, String> expected = TreeSnapshot.of(tree);
    assertEquals(expected, CodecSnapshot.of(image), "codec round trip");
    KernelModel.Report model = KernelModel.examine(image);
    assertTrue(model.clean(), model::toString);
    assertEquals(expected, TreeSnapshot.of(model.views().get("mount")), "kernel model view");
  }

  /**
   * Property 3: a kernel-shaped history is accepted, and every ACTIVE branch as the kernel model
   * replays it and as the codec's replay resolves it equals the in-memory model.
   */
  static void historyReplays(BranchHistory h) {
    Report report = Oracles.fsck(h.image);
    assertTrue(Oracles.accepts(report), () -> "fsck rejects a kernel-shaped history " + h.steps + ": "
        + report.problems());
    KernelModel.Report model = KernelModel.examine(h.image);
    assertTrue(model.clean(), () -> h.steps + "\n" + model);
    Map<String, Map<String, String>> expected = new TreeMap<>(h.expectedViews());
    Map<String, Map<String, String>> seen = new TreeMap<>();
    model.views().forEach((label, s) -> {
      if (!label.equals("mount")) {
        seen.put(label, FsModel.describe(s));
      }
    });
    assertEquals(expected, seen, () -> "kernel model replay " + h.steps);
    Image image = Image.open(ImageBytes.of(h.image));
    for (BranchHistory.Branch b : h.branches) {
      if (expected.containsKey(b.label())) {
        var record = image.branchTable().records().get(b.slot);
        var view = Replay.branch(image, record, p -> {
          throw new AssertionError("codec replay problem in " + b.label() + ": " + p + " " + h.steps);
        });
        assertEquals(expected.get(b.label()), describe(view), () -> "codec replay of " + b.label() + " " + h.steps);
      }
    }
  }

  /** The codec's view in {@link FsModel#describe()}'s form. */
  static Map<String, String> describe(dev.daxfs.format.BranchView view) {
    Map<String, String> out = new TreeMap<>();
    Deque<Object[]> work = new ArrayDeque<>();
    work.push(new Object[] {view.root(), "/"});
    while (!work.isEmpty()) {
      Object[] it = work.pop();
      ViewNode n = (ViewNode) it[0];
      String path = (String) it[1];
      String what = n.isDirectory() ? "-" : n.isSymlink() ? n.size() + " -> " + TreeSnapshot.latin1(n.target())
          : n.size() + " " + sha(view, n);
      out.put(path, n.ino() + " 0" + Integer.toOctalString(n.mode()) + " " + Integer.toUnsignedString(n.uid()) + " "
          + Integer.toUnsignedString(n.gid()) + " " + what);
      if (n.isDirectory()) {
        for (ViewEntry e : view.entries(n)) {
          work.push(new Object[] {e.node(), (path.equals("/") ? "" : path) + "/" + TreeSnapshot.latin1(e.name())});
        }
      }
    }
    return out;
  }

  private static String sha(dev.daxfs.format.BranchView view, ViewNode n) {
    try (var in = view.open(n)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[8192];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
