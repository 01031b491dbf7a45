package dev.daxfs.format;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An image file mapped read-only; closing unmaps it. */
public final class ImageFile implements AutoCloseable {
  private final Arena arena;
  private final Image image;

  private ImageFile(Arena arena, Image image) {
    this.arena = arena;
    this.image = image;
  }

  /**
   * Maps {@code path} read-only. Raises FormatException when it is too short to hold the
   * superblock's fields, IOException when it cannot be read.
   */
  public static ImageFile open(Path path) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      var segment = size == 0 ? java.lang.foreign.MemorySegment.ofArray(new byte[0])
          : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      return new ImageFile(arena, Image.open(new ImageBytes(segment)));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  public Image image() { return image; }

  @Override public void close() { arena.close(); }
}
