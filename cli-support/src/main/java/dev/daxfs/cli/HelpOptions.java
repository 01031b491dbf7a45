package dev.daxfs.cli;

import picocli.CommandLine.Option;

/**
 * -h/--help and --version for every command. Not picocli's standard mixin: upstream mkdaxfs uses
 * -V for "mount with validation", so --version has no short form anywhere.
 */
public final class HelpOptions {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--version", versionHelp = true, description = "Print version information and exit.")
  boolean version;
}
