package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * The one place that knows where each field sits. Every reader and writer takes its offsets from
 * these layouts, and FORMAT.md's tables are checked against them by a test.
 */
public final class Structs {
  private Structs() {}

  private static MemoryLayout u16(String n) { return JAVA_SHORT_UNALIGNED.withName(n); }
  private static MemoryLayout u32(String n) { return JAVA_INT_UNALIGNED.withName(n); }
  private static MemoryLayout u64(String n) { return JAVA_LONG_UNALIGNED.withName(n); }
  private static MemoryLayout pad(String n, long bytes) {
    return MemoryLayout.sequenceLayout(bytes, java.lang.foreign.ValueLayout.JAVA_BYTE).withName(n);
  }

  /** The fields of the image superblock; the rest of its 4096-byte block is zero. */
  public static final StructLayout SUPERBLOCK = MemoryLayout.structLayout(
      u32("magic"), u32("version"), u32("flags"), u32("block_size"),
      u64("total_size"), u64("base_offset"), u64("base_size"),
      u64("branch_table_offset"), u32("branch_table_entries"), u32("active_branches"),
      u64("next_branch_id"), u64("next_inode_id"),
      u64("delta_region_offset"), u64("delta_region_size"), u64("delta_alloc_offset"))
      .withName("superblock");

  public static final StructLayout BRANCH_RECORD = MemoryLayout.structLayout(
      u64("branch_id"), u64("parent_id"), u64("delta_log_offset"), u64("delta_log_size"),
      u64("delta_log_capacity"), u32("state"), u32("refcount"), u64("next_local_ino"),
      pad("name", Format.BRANCH_NAME_FIELD), pad("reserved", 40))
      .withName("branch record");

  public static final StructLayout BASE_SUPERBLOCK = MemoryLayout.structLayout(
      u32("magic"), u32("version"), u32("flags"), u32("block_size"),
      u64("total_size"), u64("inode_offset"), u32("inode_count"), u32("root_inode"),
      u64("data_offset"))
      .withName("base superblock");

  public static final StructLayout INODE = MemoryLayout.structLayout(
      u32("ino"), u32("mode"), u32("uid"), u32("gid"), u64("size"), u64("data_offset"),
      u32("nlink"), pad("reserved", 28))
      .withName("inode");

  public static final StructLayout DIRENT = MemoryLayout.structLayout(
      u32("ino"), u32("mode"), u16("name_len"), pad("reserved", 6), pad("name", Format.NAME_MAX))
      .withName("dirent");

  public static final StructLayout DELTA_HEADER = MemoryLayout.structLayout(
      u32("type"), u32("total_size"), u64("ino"), u64("timestamp"))
      .withName("delta header");

  public static final StructLayout WRITE = MemoryLayout.structLayout(
      u64("offset"), u32("len"), u32("flags")).withName("write payload");

  /** Shared by create (2) and mkdir (5). */
  public static final StructLayout CREATE = MemoryLayout.structLayout(
      u64("parent_ino"), u64("new_ino"), u32("mode"), u16("name_len"), u16("flags"))
      .withName("create payload");

  public static final StructLayout DELETE = MemoryLayout.structLayout(
      u64("parent_ino"), u16("name_len"), u16("flags"), u32("reserved"))
      .withName("delete payload");

  public static final StructLayout TRUNCATE = MemoryLayout.structLayout(
      u64("new_size")).withName("truncate payload");

  public static final StructLayout RENAME = MemoryLayout.structLayout(
      u64("old_parent"), u64("new_parent"), u64("ino"), u16("old_name_len"),
      u16("new_name_len"), u32("reserved"))
      .withName("rename payload");

  public static final StructLayout SETATTR = MemoryLayout.structLayout(
      u32("mode"), u32("uid"), u32("gid"), u32("valid"), u64("size"))
      .withName("setattr payload");

  public static final StructLayout SYMLINK = MemoryLayout.structLayout(
      u64("parent_ino"), u64("new_ino"), u16("name_len"), u16("target_len"), u32("reserved"))
      .withName("symlink payload");

  /** Byte offset of a named field inside a layout. */
  public static long offset(StructLayout layout, String field) {
    return layout.byteOffset(PathElement.groupElement(field));
  }
}
