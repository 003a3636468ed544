// The coordinator's garbage-collection pauses, read from its stdout when it runs with node
// --trace-gc. V8 prints one line per collection, e.g.
//   [pid:0x...]  45678 ms: Mark-Compact 950.2 (1002.1) -> 900.1 (990.0) MB, 812.34 / 0.00 ms  (...)
// where the first figure after "MB," is the pause on the main thread. With --trace-gc-nvp it prints
// name=value pairs instead, e.g. "pause=37.1 ... gc=mc ... clear.external_string_table=17.5 ...",
// which also time each phase of the pause: for the longest full collection those are kept, so a
// long pause can be put on what it spent its time on. Each line is timestamped with Date.now() on
// arrival, so pauses can be matched to the benchmark's own intervals.

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const GC_LINE = /: (Scavenge|Minor Mark-Compact|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/;
/** --trace-gc-nvp's kinds seen from Node 20: s scavenge, mc mark-compact (full); any other is counted under its own code. */
const NVP_KINDS: Record<string, string> = { s: 'Scavenge', mc: 'Mark-Compact' };
/** The phases of a full collection's pause (--trace-gc-nvp), and the sub-phases under them ("clear.external_string_table"). */
const PAUSE_PHASE = /^(clear|evacuate|mark|sweep|finish|epilogue|prologue)(\.[a-z_.]+)?$/;

/** The main-thread pause of one collection by phase, ms (only with --trace-gc-nvp). */
export type GcPhases = Record<string, number>;

export interface GcPause {
  at: number;
  kind: string;
  pauseMs: number;
  phases?: GcPhases;
}

export interface GcSummary {
  pauses: number;
  /** Full (old-generation) collections. */
  fullCollections: number;
  maxPauseMs: number;
  totalPauseMs: number;
  /** The longest full collection's pause by phase, its five longest phases and sub-phases (--trace-gc-nvp only). */
  longestFullPhases?: GcPhases;
}

export class GcTrace {
  private readonly pauses: GcPause[] = [];

  constructor(stdout: Readable) {
    createInterface({ input: stdout }).on('line', (line) => {
      const m = GC_LINE.exec(line);
      if (m) this.pauses.push({ at: Date.now(), kind: m[1]!, pauseMs: Number(m[2]) });
      else if (line.includes(' pause=')) this.parseNvp(line);
    });
  }

  /** The pauses reported between `from` and `to` (Date.now() values). */
  between(from: number, to: number): GcSummary {
    const within = this.pauses.filter((p) => p.at >= from && p.at <= to);
    const full = within.filter((p) => p.phases).sort((a, b) => b.pauseMs - a.pauseMs)[0];
    return {
      pauses: within.length,
      fullCollections: within.filter((p) => p.kind === 'Mark-Compact' || p.kind === 'Mark-Sweep').length,
      maxPauseMs: Math.max(0, ...within.map((p) => p.pauseMs)),
      totalPauseMs: Number(within.reduce((s, p) => s + p.pauseMs, 0).toFixed(1)),
      ...(full ? { longestFullPhases: { pause: full.pauseMs, ...full.phases } } : {}),
    };
  }

  private parseNvp(line: string): void {
    const fields = new Map([...line.matchAll(/(\S+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    const code = fields.get('gc');
    const pauseMs = Number(fields.get('pause'));
    if (!code || !Number.isFinite(pauseMs)) return;
    const kind = NVP_KINDS[code] ?? code;
    const pause: GcPause = { at: Date.now(), kind, pauseMs };
    if (kind === 'Mark-Compact') {
      const phases = [...fields].filter(([name, value]) => PAUSE_PHASE.test(name) && Number(value) > 0);
      phases.sort((a, b) => Number(b[1]) - Number(a[1]));
      pause.phases = Object.fromEntries(phases.slice(0, 5).map(([name, value]) => [name, Number(value)]));
    }
    this.pauses.push(pause);
  }
}
