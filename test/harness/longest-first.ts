// Vitest's file order: the longest files start first, so that with two forks no long file starts
// near the end and runs alone (the suite ends when its last file does). Vitest's own order is by
// the durations of a previous run when it has them, else larger files first; a fresh clone (CI) has
// none, and file size says little here (a short file may boot QEMU machines). So the files known
// to take longest come first, longest first; the rest keep vitest's order.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds in a full run (2 cores, two forks), rounded to 5: the files over about 35 s (estimates
 * from single-file runs where a file changed since the last full run). Only the
 * order matters; a file not listed counts as 0.
 */
const KNOWN_SECONDS: Readonly<Record<string, number>> = {
  'test/vm/image-deploy.test.ts': 180,
  'test/packaging/debs.test.ts': 115,
  'test/ramdisk/ramdisk.test.ts': 110,
  'test/e2e/network-ovn-deploy.test.ts': 100,
  'test/lab/lab.test.ts': 90,
  'test/e2e/image-deploy.test.ts': 65,
  'test/e2e/ha-agents.test.ts': 65,
  'test/e2e/ha-sequence-takeover.test.ts': 60,
  'test/e2e/network-attach.test.ts': 60,
  'test/e2e/bios-halt-crash.test.ts': 55,
  'test/console/console-roles.test.ts': 50,
  'test/coordinator/store-migrate.test.ts': 45,
  'test/console/console-deploy.test.ts': 40,
  'test/coordinator/data-dir.test.ts': 40,
  'test/vm/isolation.test.ts': 40,
  'test/e2e/bios-halt.test.ts': 40,
  'test/e2e/agent-coordinator-failover.test.ts': 35,
  'test/e2e/vmhost.test.ts': 35,
  'test/coordinator/moorctl.test.ts': 35,
  'test/e2e/agent-link.test.ts': 35,
  'test/coordinator/concurrency.test.ts': 35,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (file: TestSpecification): number => KNOWN_SECONDS[path.relative(root, file.moduleId)] ?? 0;
    const ordered = await super.sort(files);
    // Array.prototype.sort is stable: equal estimates keep vitest's order.
    return ordered.sort((a, b) => seconds(b) - seconds(a));
  }
}
