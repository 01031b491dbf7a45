package dev.daxfs.mkfs;

import dev.daxfs.format.Names;

/**
 * One member of a tar archive after its extended headers are applied. {@code path} and
 * {@code link} are the raw name bytes; {@code mode} holds permission bits only.
 */
record TarEntry(byte[] path, byte type, int mode, int uid, int gid, long size, byte[] link) {
  static final byte REGULAR = '0';
  static final byte HARD_LINK = '1';
  static final byte SYMLINK = '2';
  static final byte CHAR_DEVICE = '3';
  static final byte BLOCK_DEVICE = '4';
  static final byte DIRECTORY = '5';
  static final byte FIFO = '6';

  /** The path as people read it in messages. */
  String display() { return Names.text(path); }
}
