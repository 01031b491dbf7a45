package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Content;
import dev.daxfs.format.Extent;
import dev.daxfs.format.ImageSink;
import dev.daxfs.format.ViewNode;
import java.io.IOException;

/**
 * A view file's bytes, copied from the source image extent by extent. Runs of zeros are not
 * written: image sinks leave holes that read as zeros. Equal when the node is the same, so two
 * names of one file share one extent in the new image.
 */
record ViewContent(BranchView view, ViewNode node) implements Content {
  private static final long CHUNK = 1 << 20;

  @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
    if (size != node.size()) {
      throw new IOException("inode " + node.ino() + ": " + size + " bytes expected, the view has " + node.size());
    }
    for (Extent e : view.extents(node)) {
      if (e.isZeros()) {
        continue;
      }
      for (long done = 0; done < e.length(); done += CHUNK) {
        long n = Math.min(CHUNK, e.length() - done);
        sink.write(position + e.offset() + done, view.bytes().slice(e.source() + done, n, "file data").asByteBuffer());
      }
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof ViewContent c && c.view == view && c.node == node;
  }

  @Override public int hashCode() { return System.identityHashCode(node); }
}
