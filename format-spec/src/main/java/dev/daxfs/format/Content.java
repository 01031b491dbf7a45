package dev.daxfs.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a regular file's bytes come from; they are streamed into the image, never held whole. */
public interface Content {

  /**
   * Writes exactly {@code size} bytes to {@code sink} at {@code position}; an IOException naming
   * the source if it holds a different number of bytes (it changed while being read).
   */
  void copyTo(ImageSink sink, long position, long size) throws IOException;

  /** A file on disk, streamed into the image (the size it had when planned is checked). */
  static Content of(Path path) { return new PathContent(path); }

  /** Bytes already in memory (small files, tests). */
  static Content of(byte[] bytes) { return new BytesContent(bytes); }

  record PathContent(Path path) implements Content {
    @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        if (ch.size() != size) {
          throw new IOException(path + ": changed size while being read (" + size + " bytes expected, "
              + ch.size() + " found)");
        }
        sink.transferFrom(ch, 0, size, position);
        if (ch.size() != size) {
          throw new IOException(path + ": changed size while being read (" + size + " bytes expected, "
              + ch.size() + " found)");
        }
      }
    }
  }

  /** Equality is identity of the array, so only the same array shares an extent. */
  record BytesContent(byte[] bytes) implements Content {
    @Override public void copyTo(ImageSink sink, long position, long size) throws IOException {
      if (bytes.length != size) {
        throw new IOException("content of " + bytes.length + " bytes, " + size + " expected");
      }
      sink.write(position, ByteBuffer.wrap(bytes));
    }
  }
}
