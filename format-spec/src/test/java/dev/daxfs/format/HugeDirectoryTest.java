package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One directory of 1,000,000 entries is written in bounded pieces: its dirents (144 MB) never
 * exist as one array, which ran a 512 MiB heap out of memory and overflows an int at ~14.9M.
 */
class HugeDirectoryTest {
  private static final int ENTRIES = 1_000_000;

  @Test
  void direntsOfAMillionEntriesAreStreamedInOrder() throws Exception {
    List<Node> files = new ArrayList<>(ENTRIES);
    for (int i = ENTRIES - 1; i >= 0; i--) { // reverse: the layout must sort them
      files.add(new Node.File(Node.name(String.format("f%07d", i)), 0644, 0, 0, 0, null));
    }
    ImageLayout layout = ImageLayout.plan(new Node.Directory(new byte[0], 0755, 0, 0, files),
        ImageSpec.staticImage());
    long base = layout.superblock().baseOffset();
    long direntsStart = base + layout.dataOffset(1);
    long direntsEnd = direntsStart + (long) ENTRIES * Format.DIRENT_SIZE;

    class Recorder implements ImageSink {
      long largestWrite;
      long next = direntsStart; // dirents must arrive in order, without gaps
      int checked;

      @Override public void write(long position, ByteBuffer src) {
        largestWrite = Math.max(largestWrite, src.remaining());
        if (position >= direntsStart && position < direntsEnd) {
          assertEquals(next, position, "dirents written out of order");
          ByteBuffer b = src.slice().order(ByteOrder.LITTLE_ENDIAN);
          for (int at = 0; at < b.remaining(); at += Format.DIRENT_SIZE) {
            int index = (int) ((position + at - direntsStart) / Format.DIRENT_SIZE);
            assertEquals(index + 2, b.getInt(at), "ino of dirent " + index);
            byte[] name = new byte[b.getShort(at + 8)];
            b.get(at + 16, name);
            assertEquals(String.format("f%07d", index), new String(name), "name of dirent " + index);
            checked++;
          }
          next = position + src.remaining();
        }
        src.position(src.limit());
      }

      @Override public void transferFrom(FileChannel src, long srcPosition, long count, long position) {
        throw new AssertionError("no file has contents");
      }
    }
    Recorder sink = new Recorder();
    ImageWriter.writeTo(layout, sink, ImageWriter.Progress.NONE);
    assertEquals(ENTRIES, sink.checked);
    assertEquals(direntsEnd, sink.next);
    assertTrue(sink.largestWrite <= 1 << 16, "largest single write " + sink.largestWrite + " bytes");
  }
}
