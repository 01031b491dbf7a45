package dev.daxfs.format;

import java.nio.charset.StandardCharsets;

/** A name in a directory of a branch view, and what it refers to. */
public record ViewEntry(byte[] name, ViewNode node) {

  /** The name for display: UTF-8 where valid, with replacement characters otherwise. */
  public String nameString() { return new String(name, StandardCharsets.UTF_8); }
}
