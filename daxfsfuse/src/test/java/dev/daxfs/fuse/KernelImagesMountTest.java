package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchTable;
import dev.daxfs.format.BranchView;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every branch of the images the real v3 kernel wrote, mounted: the mount shows what daxfs-inspect
 * shows (the same BranchView: paths, modes, owners, sizes, links, inode numbers, bytes, targets).
 */
class KernelImagesMountTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"base-input", "child-active", "child-commit", "remount-after-umount"})
  void everyBranchMountsAsInspectShowsIt(String name) throws Exception {
    Path image = dir.resolve(name + ".daxfs");
    Files.write(image, KernelImages.image(name));
    List<String> specs = new ArrayList<>();
    specs.add(null);
    try (ImageFile f = ImageFile.open(image)) {
      for (BranchRecord b : f.image().branchTable().records()) {
        if (b.state() != Format.BRANCH_FREE) {
          specs.add(BranchTable.SLOT_PREFIX + b.slot());
        }
      }
    }
    for (String spec : specs) {
      Map<String, Snapshot.Entry> expected;
      try (ImageFile f = ImageFile.open(image)) {
        BranchRecord b = f.image().branchTable().select(spec);
        BranchView view = b == null ? Replay.base(f.image(), p -> { }) : Replay.branch(f.image(), b, p -> { });
        expected = Snapshot.of(view);
      }
      Path mnt = Files.createDirectory(dir.resolve("mnt-" + (spec == null ? "default" : spec.replace(':', '-'))));
      List<String> args = new ArrayList<>(List.of(image.toString(), mnt.toString()));
      if (spec != null) {
        args.addAll(List.of("-b", spec));
      }
      try (Mount m = Mount.start(mnt, args.toArray(String[]::new))) {
        assertTrue(m.mounted(), m.output());
        assertEquals("", Snapshot.diff(expected, Snapshot.of(mnt)), name + " " + spec);
        assertTrue(expected.size() > 5, name + " " + spec + ": " + expected.keySet());
        m.unmount();
      }
    }
  }
}
