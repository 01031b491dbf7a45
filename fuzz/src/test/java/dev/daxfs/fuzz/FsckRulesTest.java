package dev.daxfs.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * daxfs-fsck against the kernel model, one hazard at a time: every image the model shows to be
 * mishandled by the kernel must be rejected. Fast, so mutation testing of the validator runs it.
 */
class FsckRulesTest {
  static final List<HostileImages.Case> CASES = HostileImages.CASES;

  @ParameterizedTest
  @FieldSource("CASES")
  void fsckRejectsWhatTheKernelMishandles(HostileImages.Case c) {
    byte[] image = c.image().get();
    assertFalse(KernelModel.examine(image).clean(), "the case must be hazardous");
    var report = Oracles.fsck(image);
    assertFalse(Oracles.accepts(report), () -> c.name() + ": fsck accepts it");
  }

  @ParameterizedTest
  @FieldSource("GOOD")
  void fsckAcceptsWhatTheKernelMountsCleanly(byte[] image) {
    assertTrue(KernelModel.examine(image).clean());
    var report = Oracles.fsck(image);
    assertTrue(report.valid(true), report.problems()::toString);
  }

  static final List<byte[]> GOOD = List.of(HostileImages.staticImage(), HostileImages.branching());
}
