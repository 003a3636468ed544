// WriteBatches' gathering (etcd-write-batch.ts), with a commit the test answers when it chooses
// and fake timers for the gathering: writes that arrive while a batch is committing go together in
// the next; after a batch of several writes the next one gathers until as many writes are there,
// for gatherMs at most, also when the queue emptied in between (for gatherMs at most); a lone write
// on a queue quiet for longer goes at once. Spread over several coordinators, a batch that reached
// that size waits on, for rejoinMs at most, for the callers of the last batch as well.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REJOIN_UP_TO, WriteBatches, type PendingWrite } from '../../coordinator/src/store/etcd-write-batch.js';

interface Queue {
  /** The labels of each batch handed to commit, in order. */
  readonly batches: string[][];
  /** Labels of the writes answered, in order. */
  readonly done: string[];
  add(label: string): void;
  /** Answers the batch in flight. */
  commitNext(): Promise<void>;
  finish(): Promise<void>;
  spreadOver(coordinators: number): void;
}

function queue(gatherMs: number, rejoinMs = 0): Queue {
  const batches: string[][] = [];
  const done: string[] = [];
  const inFlight: (() => void)[] = [];
  const labels = new Map<PendingWrite, string>();
  const batchesQueue = new WriteBatches(
    (batch) => {
      batches.push(batch.map((w) => labels.get(w)!));
      return new Promise((resolve) => {
        inFlight.push(() => {
          for (const write of batch) write.resolve(undefined);
          resolve([]);
        });
      });
    },
    Number.POSITIVE_INFINITY,
    gatherMs,
    rejoinMs,
  );
  return {
    batches,
    done,
    add: (label) => {
      const write: PendingWrite = { change: () => label, started: 0, resolve: () => done.push(label), reject: () => undefined };
      labels.set(write, label);
      batchesQueue.add(write);
    },
    finish: () => batchesQueue.finish(),
    spreadOver: (coordinators) => batchesQueue.spreadOver(coordinators),
    commitNext: async () => {
      const answer = inFlight.shift();
      if (!answer) throw new Error('no batch in flight');
      answer();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

/** A queue gathering for 60 ms (and rejoining for rejoinMs): a committed alone, and [b, c] in flight behind it. */
async function twoInFlight(rejoinMs = 0): Promise<Queue> {
  const q = queue(60, rejoinMs);
  q.add('a'); // alone on a quiet queue: at once
  q.add('b');
  q.add('c'); // b and c gather while a commits
  await q.commitNext();
  return q;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteBatches', () => {
  it('sends a lone write at once, with gathering on', async () => {
    const q = queue(60);
    q.add('a');
    expect(q.batches).toEqual([['a']]);
    await q.commitNext();
    expect(q.done).toEqual(['a']);
    q.add('b'); // the queue went idle: b is alone again
    expect(q.batches).toEqual([['a'], ['b']]);
  });

  it('after a batch of several writes, gathers the next for gatherMs at most: writes arriving then go together', async () => {
    const q = queue(60);
    q.add('a'); // alone on a quiet queue: at once
    q.add('b');
    q.add('c');
    q.add('d'); // b, c and d gather while a commits
    await q.commitNext();
    expect(q.batches).toEqual([['a'], ['b', 'c', 'd']]); // after a batch of one: no gathering
    q.add('e');
    await q.commitNext(); // [b, c, d] answered: the next gathers for 60 ms, or until it holds 3
    q.add('f');
    await vi.advanceTimersByTimeAsync(59);
    expect(q.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.batches).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f']]);
    await q.commitNext();
    expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('gathers a write that comes within gatherMs of the queue emptying as if it had not emptied; later, sends it at once', async () => {
    const q = await twoInFlight();
    await q.commitNext(); // [b, c] answered: nothing is waiting, the queue empties
    expect(q.batches).toEqual([['a'], ['b', 'c']]);
    await vi.advanceTimersByTimeAsync(10);
    q.add('d'); // 10 ms later: the first of [b, c]'s callers back, so it waits for a second
    await vi.advanceTimersByTimeAsync(0);
    expect(q.batches).toHaveLength(2);
    q.add('e');
    await vi.advanceTimersByTimeAsync(0);
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    await q.commitNext(); // [d, e] answered, the queue empties again
    await vi.advanceTimersByTimeAsync(61);
    q.add('f'); // quiet for longer than gatherMs: at once
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
    await q.commitNext();
    expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('ends the gathering as soon as the next batch holds as many writes as the last one', async () => {
    const q = await twoInFlight();
    expect(q.batches).toEqual([['a'], ['b', 'c']]);
    q.add('d');
    await q.commitNext(); // [b, c] answered: gathering, d alone so far
    expect(q.batches).toHaveLength(2);
    q.add('e'); // two, as many as [b, c]: the batch goes now, not after 60 ms
    await vi.advanceTimersByTimeAsync(0);
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    q.add('f'); // arrives while [d, e] commits
    await q.commitNext();
    expect(q.batches).toHaveLength(3); // f alone, fewer than [d, e]: it gathers for the 60 ms
    await vi.advanceTimersByTimeAsync(60);
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
    await q.commitNext();
    expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('finish() sends a gathering batch at once, and the batches after it without gathering', async () => {
    const q = await twoInFlight();
    q.add('d');
    await q.commitNext(); // [b, c] answered: d gathers
    expect(q.batches).toHaveLength(2);
    const idle = q.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d']]);
    q.add('e');
    q.add('f'); // while d commits
    await q.commitNext();
    q.add('g'); // after a batch of one: e and f go at once
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d'], ['e', 'f']]);
    await q.commitNext(); // [e, f] answered: g goes at once, no gathering while finishing
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d'], ['e', 'f'], ['g']]);
    await q.commitNext();
    await idle;
    expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('without gathering, the next batch goes as soon as the last is committed', async () => {
    const q = queue(0);
    q.add('a');
    q.add('b');
    q.add('c');
    await q.commitNext();
    q.add('d');
    await q.commitNext();
    q.add('e'); // d went alone the moment [b, c] was answered
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d']]);
    await q.commitNext();
    expect(q.batches).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
  });

  describe('spread over several coordinators', () => {
    /** [b, c] answered with d gathered behind it (spread over `coordinators`), and e, the first of b and c's callers, back. */
    async function oneBehind(coordinators: number): Promise<Queue> {
      const q = await twoInFlight(10);
      q.spreadOver(coordinators);
      q.add('d'); // behind [b, c], while it commits
      await q.commitNext();
      q.add('e'); // as many as [b, c] now
      await vi.advanceTimersByTimeAsync(0);
      return q;
    }

    it('a batch as large as the last waits on until the callers of the last batch are back too', async () => {
      const q = await oneBehind(3);
      expect(q.batches).toEqual([['a'], ['b', 'c']]); // [b, c] and d behind it: waits for 3
      q.add('f');
      await vi.advanceTimersByTimeAsync(0);
      expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e', 'f']]);
      await q.commitNext(); // nothing came behind [d, e, f]: the next goes once it holds 3
      q.add('g');
      q.add('h');
      await vi.advanceTimersByTimeAsync(0);
      expect(q.batches).toHaveLength(3);
      q.add('i');
      await vi.advanceTimersByTimeAsync(0);
      expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e', 'f'], ['g', 'h', 'i']]);
      await q.commitNext();
      expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    });

    it('waits rejoinMs at most', async () => {
      const q = await oneBehind(3);
      await vi.advanceTimersByTimeAsync(9);
      expect(q.batches).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(q.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
      await q.commitNext();
      expect(q.done).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('does not wait on after a gathering that ran out', async () => {
      const q = await twoInFlight(10);
      q.spreadOver(2);
      q.add('d');
      await q.commitNext(); // d gathers for 60 ms, for a second write that does not come
      await vi.advanceTimersByTimeAsync(60);
      expect(q.batches).toEqual([['a'], ['b', 'c'], ['d']]);
    });

    it('waits on for REJOIN_UP_TO writes at most', async () => {
      const labels = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
      /** Batches of `half` taking turns with `behind` gathered: whether the batch after waits on. */
      const waitsOn = async (half: number, behind: number): Promise<boolean> => {
        const q = queue(60, 10);
        q.spreadOver(3);
        q.add('a');
        for (const label of labels('b', half)) q.add(label); // behind a
        await q.commitNext(); // the half in flight
        for (const label of labels('c', behind)) q.add(label); // behind it
        await q.commitNext();
        for (const label of labels('d', half - behind)) q.add(label); // as many as the half now
        await vi.advanceTimersByTimeAsync(0);
        return q.batches.length === 2;
      };
      expect(await waitsOn(20, REJOIN_UP_TO - 20)).toBe(true);
      expect(await waitsOn(20, REJOIN_UP_TO - 19)).toBe(false);
    });

    it('one coordinator alone does not wait on, nor one left alone', async () => {
      expect((await oneBehind(1)).batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
      const left = await twoInFlight(10);
      left.spreadOver(3);
      left.spreadOver(1); // the others went away
      left.add('d');
      await left.commitNext();
      left.add('e');
      await vi.advanceTimersByTimeAsync(0);
      expect(left.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    });
  });
});
