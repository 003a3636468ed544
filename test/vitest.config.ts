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
    // Forks are reused from file to file (isolate: false): a fresh fork per file spent about half
    // of each file's CPU on startup and imports (collect 160 -> 30 s in a full run). The price: what
    // a file leaves running fires into the next one, so everything a test starts must stop with it
    // (a coordinator's close() ends its sequencer's waits; test/proto/shared/timer-watch.ts counts
    // only the timers a test itself made).
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    reporters: ['default'],
    sequence: { sequencer: LongestFirst },
  },
});
