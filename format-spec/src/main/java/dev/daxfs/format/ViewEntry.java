package dev.daxfs.format;

/** A name in a directory of a branch view, and what it refers to. */
public record ViewEntry(byte[] name, ViewNode node) {

  /** The name as text ({@link Names#text}): paths built from it tell every two names apart. */
  public String nameString() { return Names.text(name); }
}
