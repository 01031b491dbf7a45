package dev.daxfs.inspect;

/** Entry point of daxfs-inspect (the command is being built). */
public final class Inspect {
  private Inspect() {}

  public static void main(String[] args) {
    System.err.println("daxfs-inspect: not built yet");
    System.exit(8);
  }
}
