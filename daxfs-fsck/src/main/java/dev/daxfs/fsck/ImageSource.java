package dev.daxfs.fsck;

import dev.daxfs.format.ImageBytes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An image file mapped read-only, whatever its content (even shorter than a superblock, which the
 * validator reports as a problem rather than failing to open). Closing unmaps it.
 */
final class ImageSource implements AutoCloseable {
  private final Arena arena;
  private final ImageBytes bytes;

  private ImageSource(Arena arena, ImageBytes bytes) {
    this.arena = arena;
    this.bytes = bytes;
  }

  static ImageSource open(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException(Files.exists(path) ? "not a regular file" : "no such file");
    }
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      MemorySegment segment = size == 0 ? MemorySegment.ofArray(new byte[0])
          : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      return new ImageSource(arena, new ImageBytes(segment));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  ImageBytes bytes() { return bytes; }

  @Override public void close() { arena.close(); }
}
