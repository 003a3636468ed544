// A process that writes to a Store as fast as it can and prints `acked <key>` for each write once
// store.write has resolved, for the kill -9 test of group commit (store-group-commit.test.ts).
// Writes are started a few per event turn, without waiting for earlier ones, so they gather into
// groups. Usage: node dist/test/harness/store-writer-process.js DATA_DIR
import { createLogger } from '../../coordinator/src/logger.js';
import { Store } from '../../coordinator/src/store/store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-writer-process DATA_DIR');
const store = Store.open(dataDir, createLogger('silent'));
let next = 0;
const tick = (): void => {
  for (let i = 0; i < 4; i++) {
    const key = `w${next++}`;
    store
      .write(() => store.tables.meta.putSync(key, 'x'.repeat(100)))
      .then(
        () => process.stdout.write(`acked ${key}\n`),
        (error: unknown) => process.stderr.write(`${String(error)}\n`),
      );
  }
  setTimeout(tick, 0);
};
process.stdout.write('ready\n');
tick();
