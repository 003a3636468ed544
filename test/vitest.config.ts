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
    // Each file in a fresh fork (isolate, the default), although reusing forks (isolate: false)
    // measured about half the CPU per file in startup and imports: code a file leaves running
    // then fires into the next file. Seen: a coordinator closed mid-deploy leaves the sequencer's
    // agent wait (sequencer/agent-waits.ts) armed, and its timeout reads the closed LMDB store.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    sequence: { sequencer: LongestFirst },
  },
});
