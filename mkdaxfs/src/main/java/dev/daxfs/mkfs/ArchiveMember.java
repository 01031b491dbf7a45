package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageSink;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A member's data where it lies in an uncompressed archive file, read only when the image is
 * written: positional reads through the archive's one channel (no file opened per member; safe
 * from several threads while hashing). The archive was long enough when its headers were read;
 * if it shrank since, the copy is an InputException naming the archive and the member.
 */
record ArchiveMember(FileChannel archive, String name, String member, long offset) implements Content {
  @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
    if (!SmallFiles.copy(archive, offset, size, sink, position)) {
      throw shrank(size);
    }
  }

  private InputException shrank(long size) {
    return new InputException(name + ": " + member + ": the archive changed while being read (it no longer holds the "
        + size + " bytes of data at offset " + offset + ")");
  }
}
