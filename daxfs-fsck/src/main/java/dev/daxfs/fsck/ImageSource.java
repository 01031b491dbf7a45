package dev.daxfs.fsck;

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

  private ImageSource(MappedMemory memory, ImageBytes bytes) {
    this.memory = memory;
    this.bytes = bytes;
  }

  static ImageSource open(Path path) throws IOException {
    try (InputFile file = InputFile.open(path, WANTED, true)) {
      MappedMemory memory = file.map();
      return new ImageSource(memory, file.type() == FileType.BLOCK_DEVICE ? MemoryImage.of(memory.segment())
          : new ImageBytes(memory.segment(), memory::release));
    }
  }

  ImageBytes bytes() { return bytes; }

  @Override public void close() { memory.close(); }
}
