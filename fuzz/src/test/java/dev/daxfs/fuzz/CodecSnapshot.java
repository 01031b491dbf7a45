package dev.daxfs.fuzz;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Inode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/** The codec's reading of a base image, in {@link TreeSnapshot}'s form (the round trip's other end). */
final class CodecSnapshot {
  private CodecSnapshot() {}

  static Map<String, String> of(byte[] image) {
    BaseImage base = Image.open(ImageBytes.of(image)).base();
    Map<String, String> out = new TreeMap<>();
    record Item(long ino, String path) {}
    Deque<Item> work = new ArrayDeque<>();
    work.push(new Item(1, "/"));
    while (!work.isEmpty()) {
      Item it = work.pop();
      Inode n = base.inode(it.ino);
      String what = null;
      if (n.isDirectory()) {
        DirentArray d = base.dirents(n);
        for (long i = 0; i < d.count(); i++) {
          Dirent de = d.get(i);
          work.push(new Item(Integer.toUnsignedLong(de.ino()),
              (it.path.equals("/") ? "" : it.path) + "/" + TreeSnapshot.latin1(de.name())));
        }
      } else if (n.isRegular()) {
        what = TreeSnapshot.sha(base.data(n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
      } else if (n.isSymlink()) {
        what = "-> " + TreeSnapshot.latin1(base.symlinkTarget(n));
      }
      out.put(it.path, "0" + Integer.toOctalString(n.mode()) + " " + Integer.toUnsignedString(n.uid()) + " "
          + Integer.toUnsignedString(n.gid()) + " " + n.size() + (what == null ? "" : " " + what));
    }
    return out;
  }
}
