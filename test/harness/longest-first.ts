// Vitest's file order: the longest files start first, so that with two forks no long file starts
// near the end and runs alone (the suite ends when its last file does). Vitest's own order is by
// the durations of a previous run when it has them, else larger files first; a fresh clone (CI) has
// none, and file size says little here (a short file may boot QEMU machines). So the files known
// to take longest come first, longest first; the rest keep vitest's order.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds alone on this 2-core machine, rounded: the files over about 40 s. */
const KNOWN_SECONDS: Readonly<Record<string, number>> = {
  'test/ramdisk/ramdisk.test.ts': 150,
  'test/e2e/ha-sequence-takeover.test.ts': 150,
  'test/packaging/debs.test.ts': 100,
  'test/e2e/network-attach.test.ts': 90,
  'test/lab/lab.test.ts': 90,
  'test/e2e/network-ovn-deploy.test.ts': 85,
  'test/coordinator/concurrency.test.ts': 75,
  'test/console/console-roles.test.ts': 70,
  'test/coordinator/store-migrate.test.ts': 70,
  'test/e2e/bios-halt.test.ts': 60,
  'test/e2e/ha-agents.test.ts': 60,
  'test/coordinator/boot-service-qemu.test.ts': 60,
  'test/coordinator/list-paging.test.ts': 40,
  'test/vm/isolation.test.ts': 40,
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
