package dev.daxfs.format;

/**
 * A directory's entries in name-byte order, as a sealed {@link BranchView} serves them: by index,
 * so a listing read in pieces never copies the directory.
 */
interface Entries {
  int size();

  /** The name of entry {@code i} (the caller's copy). */
  byte[] name(int i);

  /** The node entry {@code i} names. */
  ViewNode node(int i);

  /** The index of {@code name}, or -1. */
  int find(byte[] name);

  /** How many entries are directories (for st_nlink). */
  long subdirectories();
}
