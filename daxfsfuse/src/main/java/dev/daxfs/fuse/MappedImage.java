package dev.daxfs.fuse;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.MemoryImage;
import dev.daxfs.nativemem.MappedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The image mapped for the server's whole life. Zero scans of padding give back the pages they
 * read as they go, and look at the bound of {@link ResidentPages} each time (the validator's walk
 * can outrun the watcher thread); the watcher gives back the rest.
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
      return new MappedImage(Image.open(new ImageBytes(segment, piece -> {
        drop(piece);
        ResidentPages.dropAbove(segment);
      })), arena::close);
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
   * True when the kernel can take the image's bytes by address (get_user_pages): a file mapping,
   * a devdax device. A /dev/mem range or a dma-buf is mapped as raw page frames (VM_PFNMAP, VM_IO;
   * "pf", "io" in smaps' VmFlags): a reply pointing there fails (EFAULT, and the reader sees EIO),
   * so its bytes are copied into the reply instead.
   */
  boolean pinnable() {
    MemorySegment s = image.bytes().segment();
    if (!s.isNative()) {
      return false;
    }
    try {
      boolean inMapping = false;
      for (String line : Files.readAllLines(Path.of("/proc/self/smaps"), StandardCharsets.ISO_8859_1)) {
        if (!line.isEmpty() && Character.digit(line.charAt(0), 16) >= 0 && line.contains("-")) {
          long from = Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
          long to = Long.parseUnsignedLong(line.substring(line.indexOf('-') + 1, line.indexOf(' ')), 16);
          inMapping = from <= s.address() && s.address() < to;
        } else if (inMapping && line.startsWith("VmFlags:")) {
          List<String> flags = List.of(line.substring("VmFlags:".length()).trim().split(" "));
          return !flags.contains("pf") && !flags.contains("io");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Without smaps, copy: slower, never wrong.
    }
    return false;
  }

  /** Gives back this process's pages of {@code piece} of the mapped image (see {@link MappedMemory#release}). */
  static void drop(MemorySegment piece) {
    if (piece.isNative() && piece.byteSize() > 0) {
      MappedMemory.release(piece, "the mapped image");
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
