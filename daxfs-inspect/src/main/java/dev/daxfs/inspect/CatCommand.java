package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A file's bytes on stdout, read from the image as they are written. JSON cannot carry raw bytes
 * well, so --json describes the content (size and SHA-256) instead.
 */
@Command(name = "cat", description = "Write a regular file of a branch view to stdout (--json: its size and SHA-256).")
final class CatCommand extends ImageCommand {
  @Parameters(paramLabel = "PATH", description = "A regular file in the view (symlinks are not followed).")
  String path;

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
      MessageDigest md;
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      try (InputStream in = view.open(n)) {
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
          md.update(buf, 0, r);
        }
      }
      result.put("path", path);
      result.put("size", n.size());
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
