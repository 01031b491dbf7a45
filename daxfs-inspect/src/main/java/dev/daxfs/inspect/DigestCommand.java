package dev.daxfs.inspect;

import dev.daxfs.format.ImageDigest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "digest",
    description = {"The image digest: SHA-256 of the superblock fields fixed at build time and the base image's"
        + " blocks that hold data (FORMAT.md, \"Image digest\"; a sparse image file's holes are skipped unread)."
        + " It stays the same while the kernel mounts the image and writes branches.",
        "Printed as HEX  IMAGE, like sha256sum."})
final class DigestCommand extends ImageCommand {
  /** Not here: the digest is about bytes; its preconditions decide. */
  @Override boolean reportsValidity() { return false; }


  @Override int run(Target t, PrintWriter out) {
    ImageDigest digest = ImageDigest.of(t.image);
    if (json) {
      result.put("image", t.path.toString());
      result.put("algorithm", ImageDigest.ALGORITHM);
      result.put("digest", digest.hex());
    } else {
      out.println(digest.hex() + "  " + t.path);
    }
    return OK;
  }
}
