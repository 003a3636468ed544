// checkLmdbFile's meta-only check of a file another thread is writing (what `backup` does to a
// running coordinator's database): lmdb-js commits on its own thread while this one checks over
// and over. A commit writes its pages, then its meta, so the file grows under the check; every
// check must still pass (a length taken before the meta was read once refused a sound file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLmdbFile } from '../../../proto/shared/lmdb-file-check.js';

const PUTS = 60_000;

describe('the meta-only check of a live LMDB file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-live-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes every time while another thread commits and grows the file', async () => {
    const file = join(dir, 'live.mdb');
    const db = open({ path: file, noSubdir: true });
    const value = Buffer.alloc(3000, 7);
    let committed = 0;
    const writer = (async () => {
      for (let i = 0; i < PUTS; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, k) => db.put(`k${i + k}`, value)));
        committed = i + 50;
      }
    })();
    const problems = new Set<string>();
    let checks = 0;
    while (committed < PUTS) {
      await new Promise((resolve) => setImmediate(resolve));
      for (let n = 0; n < 20; n++, checks++) {
        const check = checkLmdbFile(file, { metaOnly: true });
        if (!check.ok) problems.add(check.problem);
      }
    }
    await writer;
    await db.close();
    expect([...problems]).toEqual([]);
    expect(checks).toBeGreaterThan(10_000);
    expect(checkLmdbFile(file).ok).toBe(true); // and the whole walk, once nothing writes
  }, 60_000);
});
