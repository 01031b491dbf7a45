package dev.daxfs.dist;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.Inode;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** Reads one regular file out of an image through the codec, to check what a launcher wrote. */
final class ImageFiles {
  private ImageFiles() {}

  static byte[] read(Path image, String path) throws IOException {
    try (ImageFile file = ImageFile.open(image)) {
      file.image().requireV3();
      BaseImage base = file.image().base();
      Inode node = base.inode(Format.ROOT_INO);
      for (String name : path.split("/")) {
        node = base.inode(child(base, node, name));
      }
      return base.data(node).toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private static int child(BaseImage base, Inode dir, String name) {
    DirentArray entries = base.dirents(dir);
    for (long i = 0; i < entries.count(); i++) {
      if (entries.get(i).nameString().equals(name)) {
        return entries.get(i).ino();
      }
    }
    throw new NoSuchElementException(name + " not in directory inode " + dir.ino());
  }
}
