package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryImageTest {
  private static final byte[] HELLO = "hello\n".getBytes();

  @Test void imageIsThePrefixItsSuperblockClaims() throws Exception {
    ImageLayout layout = ImageLayout.plan(new Node.Directory(new byte[0], 0755, 0, 0,
        List.of(new Node.File(Node.name("hello"), 0644, 0, 0, HELLO.length, Content.of(HELLO)))),
        ImageSpec.staticImage());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment device = arena.allocate(layout.imageSize() + (1 << 20));
      ImageWriter.write(layout, device, ImageWriter.Progress.NONE);
      assertEquals(layout.imageSize(), MemoryImage.of(device).size());
    }
  }

  @Test void claimLargerThanTheRegionGivesTheWholeRegion() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment device = arena.allocate(8192);
      device.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, 1L << 40); // total_size
      assertEquals(8192, MemoryImage.of(device).size());
    }
  }

  @Test void regionTooSmallForASuperblockIsKeptWhole() {
    assertEquals(10, MemoryImage.of(MemorySegment.ofArray(new byte[10])).size());
  }
}
