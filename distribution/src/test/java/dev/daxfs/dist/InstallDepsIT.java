package dev.daxfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .ci/install-deps derives the backports entry from the apt sources the machine has (one-line and
 * deb822 forms), so the repository names no package registry. Runs only the derivation
 * (--backports-entry) against apt directories built here.
 */
class InstallDepsIT {
  @TempDir Path tmp;

  private Run entry(String codename) throws Exception {
    Path osRelease = tmp.resolve("os-release");
    Files.writeString(osRelease, "ID=debian\nVERSION_CODENAME=" + codename + "\n");
    Files.createDirectories(tmp.resolve("apt/sources.list.d"));
    return Run.of(tmp, Map.of("PATH", "/usr/bin:/bin", "DAXFS_APT_ETC", tmp.resolve("apt").toString(),
        "DAXFS_OS_RELEASE", osRelease.toString()),
        List.of(Repo.root().resolve(".ci/install-deps").toString(), "--backports-entry"));
  }

  @Test void oneLineSourceGivesItsMirrorAndOptions() throws Exception {
    Files.createDirectories(tmp.resolve("apt"));
    Files.writeString(tmp.resolve("apt/sources.list"), """
        # deb http://old.example/debian bookworm main
        deb http://mirror.example/debian-security bookworm-security main
        deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib
        """);
    Run r = entry("bookworm");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm-backports main\n", r.out());
  }

  @Test void deb822SourceGivesItsFirstUriAndKeyring() throws Exception {
    Files.createDirectories(tmp.resolve("apt/sources.list.d"));
    Files.writeString(tmp.resolve("apt/sources.list.d/other.sources"), """
        Types: deb
        URIs: http://vendor.example/apt
        Suites: nodistro
        Components: main
        """);
    Files.writeString(tmp.resolve("apt/sources.list.d/debian.sources"), """
        Types: deb-src
        URIs: http://src.example/debian
        Suites: trixie
        Components: main

        Types: deb
        # a comment between fields
        URIs: http://mirror.example/debian http://second.example/debian
        Suites: trixie trixie-updates
        Components: main
        Signed-By: /usr/share/keyrings/k.gpg
        """);
    Run r = entry("trixie");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("deb [signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian trixie-backports main\n", r.out());
  }

  @Test void noEntryForTheReleaseGivesNothing() throws Exception {
    Files.createDirectories(tmp.resolve("apt"));
    Files.writeString(tmp.resolve("apt/sources.list"), "deb http://mirror.example/debian bullseye main\n");
    Run r = entry("bookworm");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.out());
  }

  @Test void theScriptNamesNoRegistryHost() throws Exception {
    String script = Files.readString(Repo.root().resolve(".ci/install-deps"));
    assertFalse(script.matches("(?s).*https?://[a-z].*"), "a URL in .ci/install-deps");
  }
}
