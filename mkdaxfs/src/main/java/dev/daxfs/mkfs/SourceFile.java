package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageSink;
import dev.daxfs.nativemem.BytePath;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A regular file of a scanned directory. Holds its directory and its name (the node's own name
 * array) rather than a full Path, so a million-file tree stays small in memory; a name that does
 * not decode in the platform's file name charset keeps the listed Path instead (a String would
 * lose its bytes). Read failures and size changes are InputExceptions naming the path.
 */
record SourceFile(Path dir, byte[] name, Path undecodable) implements Content {

  /** The file {@code listed} (in {@code dir}) whose name bytes are {@code name}. */
  static SourceFile of(Path dir, Path listed, byte[] name) {
    String text = new String(name, StandardCharsets.UTF_8);
    // The JDK decoded the listed name as we do (UTF-8 platform charset, valid bytes): a String finds it again.
    boolean exact = text.indexOf('\uFFFD') < 0 && listed.getFileName().toString().equals(text);
    return new SourceFile(dir, name, exact ? null : listed);
  }

  Path path() { return undecodable != null ? undecodable : dir.resolve(new String(name, StandardCharsets.UTF_8)); }

  FileChannel open() throws InputException {
    Path path = path();
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new InputException(BytePath.of(path) + ": vanished after the scan (no such file)");
    } catch (AccessDeniedException e) {
      throw new InputException(BytePath.of(path) + ": permission denied");
    } catch (IOException e) {
      throw new InputException(BytePath.of(path) + ": cannot read: " + e.getMessage(), e);
    }
  }

  @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
    try (FileChannel ch = open()) {
      if (size <= SmallFiles.LIMIT) {
        ByteBuffer bytes = SmallFiles.read(ch, 0, size);
        if (bytes.remaining() != size) {
          throw changed(size, ch.size());
        }
        sink.write(position, bytes);
        return;
      }
      checkSize(ch, size);
      try {
        sink.transferFrom(ch, 0, size, position);
      } catch (EOFException e) {
        throw changed(size, ch.size());
      }
      checkSize(ch, size);
    }
  }

  private void checkSize(FileChannel ch, long expected) throws IOException {
    long now = ch.size();
    if (now != expected) {
      throw changed(expected, now);
    }
  }

  private InputException changed(long expected, long found) {
    return new InputException(BytePath.of(path()) + ": changed size while being read (" + expected + " bytes when scanned, "
        + found + " now)");
  }
}
