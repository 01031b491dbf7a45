#!/usr/bin/env python3
"""An independent reader of DAXFS v3 images, written from the format sheet alone.

Prints one tab-separated line per entry of the base image, in depth-first order from the root:

    PATH  MODE  UID  GID  SIZE  INO  EXTRA

MODE is octal st_mode (type and permissions); EXTRA is the sha256 of a regular file's bytes, a
symlink's target, or "-" for a directory. In PATH and EXTRA, backslash, tab, newline, other
control bytes and bytes that are not UTF-8 are written as \\xNN. Exits 1 with a one-line message
naming the offset when the image does not hold what the format sheet says.

It shares no code with the Java codec on purpose: the two agree only if both follow the sheet.
"""
import hashlib
import mmap
import struct
import sys

IMAGE_MAGIC = 0x64617833
BASE_MAGIC = 0x64646179
INODE_SIZE = 64
DIRENT_SIZE = 144
NAME_MAX = 128
S_IFMT, S_IFDIR, S_IFREG, S_IFLNK = 0o170000, 0o040000, 0o100000, 0o120000


class Bad(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.data = data

    def take(self, off, n, what):
        if off < 0 or n < 0 or off + n > len(self.data):
            raise Bad(f"{what} at offset {off}: {n} bytes do not fit in the {len(self.data)}-byte image")
        return self.data[off:off + n]

    def unpack(self, fmt, off, what):
        return struct.unpack_from("<" + fmt, self.take(off, struct.calcsize("<" + fmt), what))


def escape(raw):
    out = []
    text = raw.decode("utf-8", errors="surrogateescape")
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:          # a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\\" or code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)


def listing(data):
    r = Reader(data)
    # superblock: magic u32 @0, version u32 @4, base_offset u64 @24, base_size u64 @32
    magic, version = r.unpack("II", 0, "superblock")
    if magic != IMAGE_MAGIC or version != 3:
        raise Bad(f"superblock at offset 0: magic 0x{magic:08x} version {version}, not a DAXFS v3 image")
    base, base_size = r.unpack("QQ", 24, "superblock")
    if base == 0 or base + base_size > len(data):
        raise Bad(f"superblock at offset 24: base image {base}+{base_size} outside the image")
    # base superblock: magic, version, flags, block_size u32; total_size, inode_offset u64;
    # inode_count, root_inode u32; data_offset u64
    bmagic, bversion, _, _, total, inode_offset, inode_count, root = r.unpack("IIIIQQII", base, "base superblock")
    if bmagic != BASE_MAGIC or bversion != 3:
        raise Bad(f"base superblock at offset {base}: magic 0x{bmagic:08x} version {bversion}")
    if total > base_size:
        raise Bad(f"base superblock at offset {base + 16}: total_size {total} over base_size {base_size}")

    def inode(ino):
        if not 1 <= ino <= inode_count:
            raise Bad(f"inode table at offset {base + inode_offset}: inode {ino} outside 1..{inode_count}")
        at = base + inode_offset + (ino - 1) * INODE_SIZE
        num, mode, uid, gid, size, doff, _nlink = r.unpack("IIIIQQI", at, f"inode {ino}")
        if num != ino:
            raise Bad(f"inode {ino} at offset {at}: says it is inode {num}")
        if size and doff + size > total:
            raise Bad(f"inode {ino} at offset {at}: extent {doff}+{size} past the base total_size {total}")
        return mode, uid, gid, size, base + doff

    lines = []
    seen = set()
    stack = [(root, b"/")]
    while stack:
        ino, path = stack.pop()
        if ino in seen:
            raise Bad(f"inode {ino} is reached twice (at {escape(path)})")
        seen.add(ino)
        mode, uid, gid, size, at = inode(ino)
        kind = mode & S_IFMT
        if kind == S_IFDIR:
            if size % DIRENT_SIZE:
                raise Bad(f"directory inode {ino}: size {size} is not a multiple of {DIRENT_SIZE}")
            children = []
            for i in range(size // DIRENT_SIZE):
                d = at + i * DIRENT_SIZE
                cino, cmode, name_len = r.unpack("IIH", d, f"dirent at offset {d}")
                if not 1 <= name_len <= NAME_MAX:
                    raise Bad(f"dirent at offset {d}: name_len {name_len}")
                name = r.take(d + 16, name_len, f"dirent at offset {d}")
                if cmode != inode(cino)[0]:
                    raise Bad(f"dirent at offset {d}: mode {cmode:o} differs from inode {cino}'s")
                children.append((cino, (path if path != b"/" else b"") + b"/" + name))
            stack.extend(reversed(children))
            extra = "-"
        elif kind == S_IFREG:
            extra = hashlib.sha256(r.take(at, size, f"file inode {ino}")).hexdigest()
        elif kind == S_IFLNK:
            target = r.take(at, size + 1, f"symlink inode {ino}")
            if target[-1] != 0:
                raise Bad(f"symlink inode {ino} at offset {at}: no NUL after its {size}-byte target")
            extra = escape(target[:-1])
        else:
            raise Bad(f"inode {ino}: mode {mode:o} is not a directory, regular file or symlink")
        lines.append(f"{escape(path)}\t{mode:o}\t{uid}\t{gid}\t{size}\t{ino}\t{extra}")
    return lines


def main(argv):
    if len(argv) != 2:
        print("usage: daxfs_read.py IMAGE", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        try:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:              # an empty file cannot be mapped
            data = b""
        try:
            print("\n".join(listing(data)))
        except Bad as e:
            print(f"daxfs_read: {argv[1]}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
