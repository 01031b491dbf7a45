package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A file's bytes on stdout, read from the image as they are written. JSON cannot carry raw bytes
 * well, so --json describes the content (size and SHA-256) instead; the SHA-256 only while the
 * zeros the image does not store (holes, runs a truncate or a write past the end left) are at most
 * {@link #HASHED_ZEROS_MAX} bytes, so its cost is bounded by the bytes the image holds.
 */
@Command(name = "cat", description = "Write a regular file of a branch view to stdout (--json: its size and SHA-256).")
final class CatCommand extends ImageCommand {
  @Parameters(paramLabel = "PATH", description = "A regular file in the view (symlinks are not followed).")
  String path;

  /** 1 GiB: about a second of SHA-256. */
  static final long HASHED_ZEROS_MAX = 1L << 30;

  /** Where the bytes go: the process's stdout, set by {@link Inspect#run}. */
  OutputStream sink = System.out;

  @Override int run(Target t, PrintWriter out) throws IOException {
    BranchView view = t.view(t.branch(branch()));
    ViewNode n = Target.node(view, path);
    if (!n.isRegular()) {
      throw new UsageException(path + ": not a regular file (" + Modes.type(n.mode())
          + (n.isSymlink() ? " to " + Names.text(n.target()) + "; links are not followed" : "") + ")");
    }
    if (json) {
      result.put("path", path);
      result.put("size", n.size());
      long holes = 0;
      for (Extent e : view.extents(n)) {
        holes += e.isZeros() ? e.length() : 0;
      }
      if (holes > HASHED_ZEROS_MAX) {
        // SHA-256 has no shortcut for zeros: a file a log truncated to 2^40 bytes would take half an hour.
        result.put("sha256", null);
        result.put("sha256_omitted", holes + " bytes of zeros the image does not store (more than "
            + HASHED_ZEROS_MAX + ")");
        return OK;
      }
      MessageDigest md = ImageDigest.sha256();
      try (InputStream in = view.open(n)) {
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
          md.update(buf, 0, r);
        }
      }
      result.put("sha256", HexFormat.of().formatHex(md.digest()));
      return OK;
    }
    out.flush();
    try (InputStream in = view.open(n)) {
      in.transferTo(sink);
    }
    sink.flush();
    return OK;
  }
}
