package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InputFile.openWaiting: what the open file is, and a FIFO read from the descriptor that opened it. */
class InputFileWaitingTest {
  @TempDir Path dir;

  @Test
  void aRegularFileSaysSo() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "data");
    try (InputFile in = InputFile.openWaiting(f)) {
      assertEquals(FileType.REGULAR, in.type());
      assertEquals(4, in.size());
    }
    assertThrows(NoSuchFileException.class, () -> InputFile.openWaiting(dir.resolve("none")));
    try (InputFile in = InputFile.openWaiting(dir)) {
      assertEquals(FileType.DIRECTORY, in.type());
    }
  }

  /** The writer has come and gone before the first read: the bytes are still there to read. */
  @Test
  void aFifoIsReadAfterItsWriterIsGone() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
    byte[] sent = "sent before the first read".getBytes(StandardCharsets.US_ASCII);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write(sent);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try (InputFile in = InputFile.openWaiting(fifo); Arena arena = Arena.ofConfined()) {
      assertEquals(FileType.FIFO, in.type());
      writer.get(30, TimeUnit.SECONDS);
      MemorySegment buffer = arena.allocate(7);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (long n; (n = in.read(buffer)) > 0; ) {
        got.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
      }
      assertArrayEquals(sent, got.toByteArray());
    }
  }
}
