package dev.daxfs.format;

/**
 * A run of a file in a branch view: {@code length} bytes at file offset {@code offset}, stored at
 * absolute image offset {@code source} (in the base image or in a log's write data), or zeros when
 * {@code source} is {@link #ZEROS} (a hole left by a truncate that grew the file or a write past
 * the end).
 */
public record Extent(long offset, long length, long source) {
  public static final long ZEROS = -1;

  public boolean isZeros() { return source == ZEROS; }

  long end() { return offset + length; }
}
