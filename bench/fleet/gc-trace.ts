// The coordinator's garbage-collection pauses, read from its stdout when it runs with node
// --trace-gc. V8 prints one line per collection, e.g.
//   [pid:0x...]  45678 ms: Mark-Compact 950.2 (1002.1) -> 900.1 (990.0) MB, 812.34 / 0.00 ms  (...)
// where the first figure after "MB," is the pause on the main thread. Each line is timestamped
// with Date.now() on arrival, so pauses can be matched to the benchmark's own intervals.

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const GC_LINE = /: (Scavenge|Minor Mark-Compact|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/;

export interface GcPause {
  at: number;
  kind: string;
  pauseMs: number;
}

export interface GcSummary {
  pauses: number;
  /** Full (old-generation) collections. */
  fullCollections: number;
  maxPauseMs: number;
  totalPauseMs: number;
}

export class GcTrace {
  private readonly pauses: GcPause[] = [];

  constructor(stdout: Readable) {
    createInterface({ input: stdout }).on('line', (line) => {
      const m = GC_LINE.exec(line);
      if (m) this.pauses.push({ at: Date.now(), kind: m[1]!, pauseMs: Number(m[2]) });
    });
  }

  /** The pauses reported between `from` and `to` (Date.now() values). */
  between(from: number, to: number): GcSummary {
    const within = this.pauses.filter((p) => p.at >= from && p.at <= to);
    return {
      pauses: within.length,
      fullCollections: within.filter((p) => p.kind === 'Mark-Compact' || p.kind === 'Mark-Sweep').length,
      maxPauseMs: Math.max(0, ...within.map((p) => p.pauseMs)),
      totalPauseMs: Number(within.reduce((s, p) => s + p.pauseMs, 0).toFixed(1)),
    };
  }
}
