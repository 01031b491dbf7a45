package dev.daxfs.mkfs;

import java.nio.file.Path;

/** A directory as the scan saw it: where, and which one (device and inode), to find it again. */
record SourceDirectory(Path path, long device, long inode) {}
