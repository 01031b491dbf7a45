package dev.daxfs.fsck;

import dev.daxfs.format.DataRanges;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.MemoryImage;
import dev.daxfs.nativemem.FileType;
import dev.daxfs.nativemem.InputFile;
import dev.daxfs.nativemem.MappedMemory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file or a block device holding one, mapped read-only, whatever its content (even
 * shorter than a superblock, which the validator reports as a problem rather than failing to
 * open). A block device is usually larger than its image: the image is the prefix its superblock
 * claims, as in device memory. Anything else (a directory, a FIFO, a character device) is refused
 * before it is read, saying what it is. Closing unmaps it.
 */
final class ImageSource implements AutoCloseable {
  /** What a command-line image may be, for the message refusing anything else. */
  static final String WANTED = "an image (a regular file or a block device)";

  private final MappedMemory memory;
  private final ImageBytes bytes;
  /** An image file stays open to be asked where its holes are; null for a block device. */
  private final InputFile file;

  private ImageSource(MappedMemory memory, ImageBytes bytes, InputFile file) {
    this.memory = memory;
    this.bytes = bytes;
    this.file = file;
  }

  static ImageSource open(Path path) throws IOException {
    InputFile file = InputFile.open(path, WANTED, true);
    try {
      MappedMemory memory = file.map();
      if (file.type() == FileType.BLOCK_DEVICE) {
        file.close();
        return new ImageSource(memory, MemoryImage.of(memory.segment()), null);
      }
      // The rule-61 scan and --verify-sig's digest skip the file's holes (a 1 TiB gap: two lseeks).
      DataRanges holes = new DataRanges() {
        @Override public long nextData(long from, long end) throws IOException { return file.nextData(from, end); }

        @Override public long nextHole(long from, long end) throws IOException { return file.nextHole(from, end); }
      };
      return new ImageSource(memory, new ImageBytes(memory.segment(), memory::release, holes), file);
    } catch (IOException | RuntimeException e) {
      closeQuietly(file);
      throw e;
    }
  }

  ImageBytes bytes() { return bytes; }

  @Override public void close() {
    memory.close();
    if (file != null) {
      closeQuietly(file);
    }
  }

  private static void closeQuietly(InputFile file) {
    try {
      file.close();
    } catch (IOException e) {
      // read-only: nothing was written through it that a failed close could lose
    }
  }
}
