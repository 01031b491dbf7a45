package dev.daxfs.validate;

import static dev.daxfs.format.Structs.DIRENT;
import static dev.daxfs.format.Structs.offset;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Names;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules 23-31: every dirent, and the tree shape, by one breadth-first walk from the root with an
 * explicit queue (no recursion: 1,000,000-deep trees are valid). Every inode is entered at most
 * once, so the walk reads each directory once and is linear in the image size.
 */
final class TreeCheck {
  private static final long NAME_FIELD = offset(DIRENT, "name");
  private static final long RESERVED = offset(DIRENT, "reserved");
  private static final int PATH_COMPONENTS = 32;

  private final BaseFacts facts;
  private final BaseImage base;
  private final ImageBytes bytes;
  private final Problems p;
  private final int[] parent;       // by inode: the directory it was reached from (0: not reached)
  private final long[] direntAt;    // by inode: the dirent it was reached by

  private TreeCheck(BaseFacts facts, Problems p) {
    this.facts = facts;
    this.base = facts.base();
    this.bytes = base.bytes();
    this.p = p;
    int n = Math.toIntExact(facts.count() + 1);
    this.parent = new int[n];
    this.direntAt = new long[n];
  }

  static void check(BaseFacts facts, Problems p) {
    if (facts.root() == 0) {
      return;
    }
    TreeCheck t = new TreeCheck(facts, p);
    t.walk();
    p.pathsFrom(t::path);
  }

  private void walk() {
    int root = (int) facts.root();
    int[] queue = new int[parent.length];
    int head = 0;
    int tail = 0;
    queue[tail++] = root;
    parent[root] = -1;
    while (head < tail) {
      int dir = queue[head++];
      if (!facts.isReadableDirectory(dir)) {
        continue;
      }
      DirentArray dirents = base.dirents(base.inode(dir));
      long[] hashes = new long[Math.toIntExact(dirents.count())];
      for (long i = 0; i < dirents.count(); i++) {
        Dirent d = dirents.get(i);
        hashes[(int) i] = hash(d.name());
        int child = checkDirent(dir, d);
        if (child != 0) {
          parent[child] = dir;
          direntAt[child] = d.at();
          if (facts.isDirectory(child)) {
            queue[tail++] = child;
          }
        }
      }
      duplicates(dir, dirents, hashes);
    }
    for (int ino = 1; ino < parent.length; ino++) {
      if (parent[ino] == 0) {
        p.add(Rule.ORPHAN, "inode", base.inodeAt(ino), ino, "an inode reachable from the root",
            "no dirent names it");
      }
    }
  }

  /** Checks one dirent; returns the child it newly reaches, or 0. */
  private int checkDirent(int dir, Dirent d) {
    long at = d.at();
    long ino = Integer.toUnsignedLong(d.ino());
    if (d.nameLen() > Format.NAME_MAX) {
      p.add(Rule.DIRENT_NAME_LENGTH, "dirent", at + offset(DIRENT, "name_len"), dir,
          "name_len at most " + Format.NAME_MAX, "name_len " + d.nameLen());
    } else {
      String bad = Names.problem(d.name());
      if (bad != null) {
        p.add(Rule.DIRENT_NAME, "dirent", at + NAME_FIELD, dir, "a name of 1..128 bytes without '/' or NUL, not . or ..",
            bad + ": " + Names.quoted(d.name()));
      }
      if (!bytes.isZero(at + NAME_FIELD + d.nameLen(), Format.NAME_MAX - d.nameLen(), "dirent")
          || !bytes.isZero(at + RESERVED, NAME_FIELD - RESERVED, "dirent")) {
        p.add(Rule.DIRENT_PADDING, "dirent", at, dir, "zero reserved and unused name bytes",
            "non-zero bytes after " + Names.quoted(d.name()));
      }
    }
    if (ino < 1 || ino > facts.count()) {
      p.add(Rule.DIRENT_INO, "dirent", at, dir, "ino in 1.." + facts.count(),
          "ino " + ino + " for " + Names.quoted(d.name()));
      return 0;
    }
    int childMode = facts.mode(ino);
    if (childMode != d.mode()) {
      p.add(Rule.DIRENT_MODE, "dirent", at + offset(DIRENT, "mode"), dir,
          "mode 0" + Integer.toOctalString(childMode) + " of inode " + ino,
          "mode 0" + Integer.toOctalString(d.mode()) + " for " + Names.quoted(d.name()));
    }
    if (parent[(int) ino] != 0) {
      p.add(Rule.REACHED_ONCE, "dirent", at, dir, "an inode not reached before",
          Names.quoted(d.name()) + " names " + (ino == facts.root() ? "the root" : "inode " + ino + ", already reached"));
      return 0;
    }
    return (int) ino;
  }

  /** Rule 28 in O(n log n) time and O(n) longs: only names whose hashes collide are compared. */
  private void duplicates(int dir, DirentArray dirents, long[] hashes) {
    long[] sorted = hashes.clone();
    Arrays.sort(sorted);
    Set<Long> colliding = new HashSet<>();
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        colliding.add(sorted[i]);
      }
    }
    if (colliding.isEmpty()) {
      return;
    }
    Map<ByteBuffer, Long> first = new HashMap<>();
    for (int i = 0; i < hashes.length; i++) {
      if (colliding.contains(hashes[i])) {
        Dirent d = dirents.get(i);
        Long earlier = first.putIfAbsent(ByteBuffer.wrap(d.name()), d.at());
        if (earlier != null) {
          p.add(Rule.DUPLICATE_NAME, "dirent", d.at(), dir, "a name used once in the directory",
              Names.quoted(d.name()) + " again (first at offset " + earlier + ")");
        }
      }
    }
  }

  /** The path an inode was reached by; deep paths keep their last components. */
  private String path(long ino) {
    if (ino < 1 || ino >= parent.length || parent[(int) ino] == 0) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    int at = (int) ino;
    while (parent[at] > 0 && parts.size() < PATH_COMPONENTS) {
      parts.add(Names.text(Dirent.read(bytes, direntAt[at]).name()));
      at = parent[at];
    }
    StringBuilder sb = new StringBuilder(parent[at] > 0 ? "..." : "");
    for (int i = parts.size() - 1; i >= 0; i--) {
      sb.append('/').append(parts.get(i));
    }
    return sb.isEmpty() ? "/" : sb.toString();
  }

  /** A 64-bit FNV-1a hash: duplicate names are found by sorting hashes, not by holding names. */
  private static long hash(byte[] name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
