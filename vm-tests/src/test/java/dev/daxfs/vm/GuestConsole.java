package dev.daxfs.vm;

import java.util.LinkedHashMap;
import java.util.Map;

/** The guest's serial console split into the steps guest-checks.sh ran. */
record GuestConsole(String text, Map<String, Step> steps) {

  /** One command the guest ran: its output (stdout and stderr) and exit code. */
  record Step(String name, String command, String output, int exit) {}

  static GuestConsole parse(String text) {
    Map<String, Step> steps = new LinkedHashMap<>();
    String name = null;
    String command = null;
    StringBuilder output = new StringBuilder();
    for (String line : text.split("\r?\n")) {
      if (line.startsWith("=== STEP ")) {
        name = line.substring("=== STEP ".length()).strip();
        command = null;
        output.setLength(0);
      } else if (name != null && command == null && line.startsWith("$ ")) {
        command = line.substring(2);
      } else if (name != null && line.startsWith("=== EXIT ")) {
        steps.put(name, new Step(name, command, output.toString().strip(),
            Integer.parseInt(line.substring("=== EXIT ".length()).strip())));
        name = null;
      } else if (name != null) {
        output.append(line).append('\n');
      }
    }
    return new GuestConsole(text, steps);
  }

  Step step(String name) {
    Step s = steps.get(name);
    if (s == null) {
      throw new AssertionError("the guest never finished step '" + name + "'; console:\n" + text);
    }
    return s;
  }
}
