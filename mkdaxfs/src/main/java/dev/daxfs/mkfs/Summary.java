package dev.daxfs.mkfs;

import dev.daxfs.cli.Counted;
import dev.daxfs.cli.Sizes;
import dev.daxfs.format.ImageLayout;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run built (or, with --dry-run, would build): one line for people, one JSON object for tools.
 * {@code sealed} is null for a dry run (no image, so no digest).
 */
record Summary(String output, boolean written, ImageLayout layout, int dedupedFiles, long dedupeSaved,
    int skippedSpecial, long nanos, SignOption.Sealed sealed) {

  String line() {
    StringBuilder s = new StringBuilder(output == null ? "dry run, nothing written: "
        : output + (written ? ": " : " (dry run, nothing written): "));
    s.append(Counted.of(layout.inodeCount(), "inode", "inodes")).append(" (")
        .append(Counted.of(layout.directories(), "directory", "directories")).append(", ")
        .append(Counted.of(layout.files(), "file", "files")).append(", ")
        .append(Counted.of(layout.symlinks(), "symlink", "symlinks")).append("), ")
        .append(Sizes.human(layout.dataBytes())).append(" of file data, ");
    if (dedupedFiles > 0) {
      s.append(Counted.of(dedupedFiles, "duplicate file shares", "duplicate files share")).append(" extents (")
          .append(Sizes.human(dedupeSaved)).append(" saved), ");
    }
    s.append("image ").append(Sizes.human(layout.imageSize()));
    s.append(branching() ? ", branching, delta " + Sizes.human(layout.superblock().deltaRegionSize()) : ", static");
    s.append(String.format(Locale.ROOT, ", %.2f s", nanos / 1e9));
    if (sealed != null) {
      s.append(", digest ").append(sealed.digest().hex());
      if (sealed.signature() != null) {
        s.append(", signed: ").append(sealed.signature());
      }
    }
    return s.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", output);
    m.put("written", written);
    m.put("kind", branching() ? "branching" : "static");
    m.put("inodes", layout.inodeCount());
    m.put("directories", layout.directories());
    m.put("files", layout.files());
    m.put("symlinks", layout.symlinks());
    m.put("file_data_bytes", layout.dataBytes());
    m.put("image_bytes", layout.imageSize());
    m.put("delta_bytes", layout.superblock().deltaRegionSize());
    m.put("deduplicated_files", dedupedFiles);
    m.put("deduplicated_bytes_saved", dedupeSaved);
    m.put("skipped_special_files", skippedSpecial);
    m.put("seconds", Math.round(nanos / 1e6) / 1e3);
    m.put("digest", sealed == null ? null : sealed.digest().hex());
    m.put("signature", sealed == null || sealed.signature() == null ? null : sealed.signature().toString());
    return m;
  }

  private boolean branching() { return layout.superblock().branchTableEntries() != 0; }
}
