package dev.daxfs.fsck;

/** Entry point of daxfs-fsck (the command is being built). */
public final class Fsck {
  private Fsck() {}

  public static void main(String[] args) {
    System.err.println("daxfs-fsck: not built yet");
    System.exit(8);
  }
}
