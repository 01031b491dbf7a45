package dev.daxfs.format;

import java.io.IOException;

/**
 * Where an image file holds data and where it has holes (lseek SEEK_DATA and SEEK_HOLE): a copy
 * skips the holes without reading them, so a sparse image costs what it holds, not its size.
 */
public interface DataRanges {
  /** The first offset in [from, end) that may hold data, or {@code end}. */
  long nextData(long from, long end) throws IOException;

  /** The first offset in (from, end) in a hole, or {@code end}; {@code from} holds data. */
  long nextHole(long from, long end) throws IOException;

  /** Nothing known of holes: every byte is read. */
  DataRanges ALL = new DataRanges() {
    @Override public long nextData(long from, long end) { return from; }

    @Override public long nextHole(long from, long end) { return end; }
  };
}
