package dev.daxfs.nativemem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts a DAXFS image held in a dma-buf with the new mount API: fsopen("daxfs"), the buffer as
 * key "dmabuf" with FSCONFIG_SET_FD (never as a string: the v3 module accepts that and then
 * crashes at create), the rw/validate flags, create, fsmount and move_mount.
 */
public final class DaxfsMount {
  private static final long FSOPEN_CLOEXEC = 1;
  private static final long FSMOUNT_CLOEXEC = 1;
  private static final long FSCONFIG_SET_FLAG = 0;
  private static final long FSCONFIG_SET_FD = 5;
  private static final long FSCONFIG_CMD_CREATE = 6;
  private static final long MOUNT_ATTR_RDONLY = 1;
  private static final long MOVE_MOUNT_F_EMPTY_PATH = 4;

  private DaxfsMount() {}

  /**
   * Mounts {@code buffer} on {@code mountpoint}. The mount holds its own reference to the buffer,
   * so the caller may close it afterwards.
   */
  public static void mount(DmaBuf buffer, Path mountpoint, boolean writable, boolean validate)
      throws SystemCallException {
    try (Arena arena = Arena.ofConfined(); Fd context = fsopen(arena)) {
      config(arena, context, FSCONFIG_SET_FD, "dmabuf", buffer.fd());
      if (writable) {
        config(arena, context, FSCONFIG_SET_FLAG, "rw", 0);
      }
      if (validate) {
        config(arena, context, FSCONFIG_SET_FLAG, "validate", 0);
      }
      config(arena, context, FSCONFIG_CMD_CREATE, null, 0);
      String target = mountpoint.toString();
      long mnt = LibC.syscall("fsmount", "daxfs", CConstant.SYS_FSMOUNT.value(), context.fd(), FSMOUNT_CLOEXEC,
          writable ? 0 : MOUNT_ATTR_RDONLY, 0, 0);
      // Closed once moved: an open fsmount fd keeps the mount busy and a later umount fails.
      try (Fd mount = new Fd((int) mnt, "daxfs mount")) {
        LibC.syscall("move_mount", target, CConstant.SYS_MOVE_MOUNT.value(), mount.fd(), arena.allocateFrom("").address(),
            LibC.AT_FDCWD, arena.allocateFrom(target).address(), MOVE_MOUNT_F_EMPTY_PATH);
      }
    }
  }

  private static Fd fsopen(Arena arena) throws SystemCallException {
    try {
      long fd = LibC.syscall("fsopen", "daxfs", CConstant.SYS_FSOPEN.value(), arena.allocateFrom("daxfs").address(),
          FSOPEN_CLOEXEC, 0, 0, 0);
      return new Fd((int) fd, "daxfs");
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENODEV -> e.explained("the kernel has no daxfs module: modprobe daxfs");
        case Errno.EPERM -> e.explained("mounting needs CAP_SYS_ADMIN");
        default -> e;
      };
    }
  }

  private static void config(Arena arena, Fd context, long command, String key, long aux)
      throws SystemCallException {
    long keyAddress = key == null ? 0 : arena.allocateFrom(key).address();
    try {
      LibC.syscall("fsconfig(" + (key == null ? "create" : key) + ")", "daxfs", CConstant.SYS_FSCONFIG.value(),
          context.fd(), command, keyAddress, 0, aux);
    } catch (SystemCallException e) {
      if (e.errno() != Errno.EINVAL) {
        throw e;
      }
      List<String> messages = kernelMessages(context);
      throw e.explained(messages.isEmpty() ? "the reason is in the kernel log (dmesg)" : String.join("; ", messages));
    }
  }

  /** The messages the filesystem left on the fsopen fd ("e daxfs: ..."), read until none remain. */
  private static List<String> kernelMessages(Fd context) {
    List<String> messages = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(1024);
      for (int i = 0; i < 16; i++) {
        long n = LibC.read(context.fd(), buffer, "daxfs");
        messages.add(new String(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
            java.nio.charset.StandardCharsets.UTF_8).strip());
      }
    } catch (SystemCallException e) {
      // ENODATA: no more messages.
    }
    return messages;
  }
}
