package dev.daxfs.fuse;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.MemoryImage;
import dev.daxfs.nativemem.MappedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The image mapped for the server's whole life. Zero scans of padding give back the pages they
 * read as they go; {@link ResidentPages} gives back the rest.
 */
final class MappedImage implements AutoCloseable {
  private final Image image;
  private final AutoCloseable mapping;

  private MappedImage(Image image, AutoCloseable mapping) {
    this.image = image;
    this.mapping = mapping;
  }

  /** Maps {@code path} read-only; FormatException when it cannot hold a superblock. */
  static MappedImage ofFile(Path path) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment segment = ch.size() == 0 ? MemorySegment.ofArray(new byte[0])
          : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new MappedImage(Image.open(new ImageBytes(segment, MappedImage::drop)), arena::close);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The image at the start of {@code memory} (a device, a physical range, a dma-buf); takes it over. */
  static MappedImage ofMemory(MappedMemory memory) {
    try {
      return new MappedImage(Image.open(new ImageBytes(MemoryImage.of(memory.segment()).segment(), memory::release)),
          memory);
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
  }

  Image image() { return image; }

  /**
   * MADV_DONTNEED: on a shared or read-only file mapping it only drops this process's page table
   * entries. Memory that refuses it (a dma-buf) keeps its pages; that costs RSS, nothing else.
   */
  static void drop(MemorySegment piece) {
    if (piece.isNative() && piece.byteSize() > 0) {
      try {
        int r = (int) LibFuse.MADVISE.invokeExact(piece, piece.byteSize(), LibFuse.MADV_DONTNEED);
      } catch (Throwable t) {
        throw LibFuse.rethrow(t);
      }
    }
  }

  @Override public void close() {
    try {
      mapping.close();
    } catch (Exception e) {
      // Unmapping cannot lose data: the mapping is read-only.
    }
  }
}
