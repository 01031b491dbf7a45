package dev.daxfs.cli;

import dev.daxfs.format.Format;
import picocli.CommandLine;

/** --version for every tool: the tool's version and the on-disk format it reads and writes. */
public final class VersionInfo implements CommandLine.IVersionProvider {
  @Override public String[] getVersion() {
    String v = VersionInfo.class.getPackage().getImplementationVersion();
    return new String[] {
        "${COMMAND-FULL-NAME} " + (v == null ? "development build" : v),
        "DAXFS on-disk format: v" + Format.VERSION + " (reads and writes v" + Format.VERSION + " only)"};
  }
}
