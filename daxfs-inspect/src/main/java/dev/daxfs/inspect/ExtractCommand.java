package dev.daxfs.inspect;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "extract")
final class ExtractCommand extends ImageCommand {
  @Override int run(Target t, PrintWriter out) {
    return OK;
  }
}
