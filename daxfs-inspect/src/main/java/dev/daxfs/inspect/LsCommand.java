package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = "List a directory of a branch view (names in byte order).")
final class LsCommand extends ImageCommand {
  @Option(names = "-l", description = "Long listing: mode, links, owner, group, size, name.")
  boolean longFormat;

  @Option(names = "-R", description = "List subdirectories recursively.")
  boolean recursive;

  @Parameters(paramLabel = "PATH", arity = "0..1", defaultValue = "/", description = "Default: /.")
  String path;

  @Override int run(Target t, PrintWriter out) {
    BranchView view = t.view(t.branch(branch()));
    ViewNode start = Target.node(view, path);
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!start.isDirectory()) {
      row(view, start, path, path, out, rows);
    } else if (!recursive) {
      for (ViewEntry e : view.entries(start)) {
        row(view, e.node(), child(path, e), Names.text(e.name()), out, rows);
      }
    } else {
      boolean[] first = {true};
      view.walk(start, path, (p, n) -> {
        if (!n.isDirectory()) {
          return;
        }
        if (!json) {
          out.printf(first[0] ? "%s:%n" : "%n%s:%n", p);
        }
        first[0] = false;
        for (ViewEntry e : view.entries(n)) {
          row(view, e.node(), child(p, e), Names.text(e.name()), out, rows);
        }
      });
    }
    result.put("path", path);
    result.put("entries", rows);
    return OK;
  }

  private void row(BranchView view, ViewNode n, String fullPath, String name, PrintWriter out,
      List<Map<String, Object>> rows) {
    if (json) {
      rows.add(Stats.json(view, n, fullPath));
    } else {
      out.println(longFormat ? Stats.longLine(view, n, name) : name);
    }
  }

  private static String child(String dir, ViewEntry e) {
    return (dir.endsWith("/") ? dir : dir + "/") + Names.text(e.name());
  }
}
