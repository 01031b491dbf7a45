package dev.daxfs.integrity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import dev.daxfs.nativemem.InputFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes key files. Private keys: PEM PKCS#8 ("PRIVATE KEY", as openssl genpkey writes)
 * or OpenSSH ("OPENSSH PRIVATE KEY", as ssh-keygen writes). Public keys: PEM SubjectPublicKeyInfo
 * ("PUBLIC KEY") or an OpenSSH public key line ("ssh-ed25519 AAAA... comment"). The JDK has EdDSA
 * but reads neither PEM nor OpenSSH files; Bouncy Castle decodes those.
 */
public final class KeyFiles {
  /** Key files are small; anything bigger is not one and is not read whole. */
  private static final long MAX_SIZE = 64 * 1024;

  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";
  private static final String OPENSSH_PRIVATE = "OPENSSH PRIVATE KEY";
  /** The JDK's key factory for both Ed25519 and Ed448. */
  private static final String EDDSA = "EdDSA";

  private KeyFiles() {}

  /** The private key in {@code file} with its public half (derived from it). */
  public static KeyPair readPrivate(Path file) throws KeyFileException {
    String text = read(file);
    if (isOpenSshPublicLine(text)) {
      throw new KeyFileException(file, "holds an OpenSSH public key; signing needs the private key");
    }
    PemObject pem = pem(file, text);
    AsymmetricKeyParameter key;
    try {
      key = switch (pem.getType()) {
        case PRIVATE -> PrivateKeyFactory.createKey(pem.getContent());
        case OPENSSH_PRIVATE -> OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(pem.getContent());
        case PUBLIC -> throw new KeyFileException(file, "holds a public key; signing needs the private key");
        case "ENCRYPTED PRIVATE KEY" -> throw new KeyFileException(file,
            "is encrypted; write it without a passphrase first (openssl pkey -in KEY -out PLAIN.pem)");
        default -> throw new KeyFileException(file, unexpectedPem(pem));
      };
    } catch (IOException | RuntimeException e) {
      String hint = pem.getType().equals(OPENSSH_PRIVATE) && String.valueOf(e.getMessage()).contains("passphrase")
          ? " (remove the passphrase with: ssh-keygen -p -N '' -f KEY)" : "";
      throw new KeyFileException(file, "not a readable " + pem.getType() + ": " + e.getMessage() + hint, e);
    }
    AsymmetricKeyParameter pub = switch (key) {
      case Ed25519PrivateKeyParameters k -> k.generatePublicKey();
      case Ed448PrivateKeyParameters k -> k.generatePublicKey();
      default -> throw new KeyFileException(file, unsupported(key));
    };
    try {
      KeyFactory factory = KeyFactory.getInstance(EDDSA);
      return new KeyPair(
          factory.generatePublic(new X509EncodedKeySpec(
              SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded())),
          factory.generatePrivate(new PKCS8EncodedKeySpec(
              PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded())));
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyFileException(file, "cannot convert the key: " + e.getMessage(), e);
    }
  }

  /** The public key in {@code file}. */
  public static PublicKey readPublic(Path file) throws KeyFileException {
    String text = read(file);
    byte[] spki;
    try {
      AsymmetricKeyParameter key;
      if (isOpenSshPublicLine(text)) {
        String[] fields = text.strip().split("\\s+");
        if (fields.length < 2) {
          throw new KeyFileException(file, "OpenSSH public key line without the key (type, base64 key, comment)");
        }
        key = OpenSSHPublicKeyUtil.parsePublicKey(Base64.getDecoder().decode(fields[1]));
      } else {
        PemObject pem = pem(file, text);
        key = switch (pem.getType()) {
          case PUBLIC -> PublicKeyFactory.createKey(pem.getContent());
          case PRIVATE, OPENSSH_PRIVATE, "ENCRYPTED PRIVATE KEY" ->
              throw new KeyFileException(file, "holds a private key; pass the public key (the .pub file)");
          default -> throw new KeyFileException(file, unexpectedPem(pem));
        };
      }
      if (!(key instanceof Ed25519PublicKeyParameters || key instanceof Ed448PublicKeyParameters)) {
        throw new KeyFileException(file, unsupported(key));
      }
      spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException(file, "not a readable public key: " + e.getMessage(), e);
    }
    try {
      return KeyFactory.getInstance(EDDSA).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(file, "cannot convert the key: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code prefix}.key (PKCS#8 PEM, owner-only) and {@code prefix}.pub (PUBLIC KEY PEM),
   * refusing to overwrite either; returns both paths.
   */
  public static List<Path> write(KeyPair pair, Path prefix) throws KeyFileException {
    Path key = prefix.resolveSibling(prefix.getFileName() + ".key");
    Path pub = prefix.resolveSibling(prefix.getFileName() + ".pub");
    for (Path p : List.of(key, pub)) {
      if (Files.exists(p)) {
        throw new KeyFileException(p, "exists; refusing to overwrite a key");
      }
    }
    create(key, pem(PRIVATE, pair.getPrivate().getEncoded()), "rw-------");
    create(pub, pem(PUBLIC, pair.getPublic().getEncoded()), "rw-r--r--");
    return List.of(key, pub);
  }

  private static void create(Path file, String text, String permissions) throws KeyFileException {
    // Created with its final permissions, so a private key is never readable by others.
    try (var ch = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)))) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(file, "exists; refusing to overwrite a key", e);
    } catch (IOException e) {
      throw new KeyFileException(file, "cannot write: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static String read(Path file) throws KeyFileException {
    byte[] bytes;
    try (InputFile in = InputFile.open(file, "a key file (a regular file)", false)) {
      // Bounded by what is read, not by the size fstat gives: that can change, or be 0 for /proc files.
      bytes = in.readAtMost((int) MAX_SIZE);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KeyFileException(file, "no such file", e);
    } catch (InputFile.WrongTypeException e) {
      throw new KeyFileException(file, "is a " + e.type().text() + ", not a key file", e);
    } catch (IOException e) {
      throw new KeyFileException(file, "cannot read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_SIZE) {
      throw new KeyFileException(file, "holds more than " + MAX_SIZE + " bytes, too big for a key file");
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static PemObject pem(Path file, String text) throws KeyFileException {
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject pem = r.readPemObject();
      if (pem == null) {
        throw new KeyFileException(file, "is neither a PEM nor an OpenSSH key file");
      }
      return pem;
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException(file, "garbled PEM: " + e.getMessage(), e);
    }
  }

  private static boolean isOpenSshPublicLine(String text) {
    String first = text.strip().split("\\s+", 2)[0];
    return first.startsWith("ssh-") || first.startsWith("ecdsa-") || first.startsWith("sk-");
  }

  private static String unexpectedPem(PemObject pem) {
    return "holds a PEM '" + pem.getType() + "' block, not " + PRIVATE + ", " + PUBLIC + " or " + OPENSSH_PRIVATE;
  }

  private static String unsupported(AsymmetricKeyParameter key) {
    return "holds a key of type " + key.getClass().getSimpleName().replace("KeyParameters", "")
        .replace("Private", "").replace("Public", "") + "; image signatures use Ed25519 or Ed448 keys";
  }
}
