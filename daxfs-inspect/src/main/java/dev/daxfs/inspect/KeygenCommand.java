package dev.daxfs.inspect;

import dev.daxfs.cli.HelpOptions;
import dev.daxfs.integrity.KeyFileException;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.KeyFingerprint;
import dev.daxfs.integrity.SignatureAlgorithm;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen",
    description = "Write a key pair for signing images (mkdaxfs --sign, daxfs-fsck --verify-sig):"
        + " PREFIX.key (private, PKCS#8 PEM, readable by the owner only) and PREFIX.pub (public, PEM).")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = {"-o", "--output"}, paramLabel = "PREFIX", required = true,
      description = "Path prefix of the two files; existing files are never overwritten.")
  Path prefix;

  @Option(names = {"-t", "--type"}, paramLabel = "ALGORITHM", defaultValue = "Ed25519",
      description = "Ed25519 (default) or Ed448.")
  String type;

  @Mixin HelpOptions helpOptions;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    SignatureAlgorithm algorithm = SignatureAlgorithm.named(type).orElse(null);
    if (algorithm == null) {
      spec.commandLine().getErr().println("daxfs-inspect: keygen: unknown key type '" + type + "' (Ed25519 or Ed448)");
      return ImageCommand.USAGE;
    }
    KeyPair pair = algorithm.generate();
    try {
      List<Path> files = KeyFiles.write(pair, prefix);
      spec.commandLine().getOut().println("wrote " + files.get(0) + " (private) and " + files.get(1) + " (public): "
          + algorithm.standardName() + " key " + KeyFingerprint.of(pair.getPublic()));
      return ImageCommand.OK;
    } catch (KeyFileException e) {
      spec.commandLine().getErr().println("daxfs-inspect: keygen: " + e.getMessage());
      return ImageCommand.OUTPUT;
    }
  }
}
