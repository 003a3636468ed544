import { defineConfig } from 'vitest/config';
import LongestFirst from './harness/longest-first.js';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['test/**/*.test.ts'],
    // Upper bounds for tests against real daemons on a loaded 2-core machine; they normally take seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: component tests each start their own daemons, so keep parallelism modest.
    // isolate: false runs file after file in the same two forks, their modules loaded once: a
    // fresh fork per file cost about a second of CPU each in startup and imports (collect 160 s
    // and prepare 33 s over 205 files). It is safe because tests keep no process-wide state: no
    // process.env or cwd changes, no module mocks, metric registries made per instance, fake timers
    // restored by the test that uses them; the harness's module state (the QEMU accelerator
    // choice, the proto loader) is a cache, and each file stops the daemons it starts.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    reporters: ['default'],
    sequence: { sequencer: LongestFirst },
  },
});
