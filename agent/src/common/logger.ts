// Structured logs: pino JSON lines (journald keeps them structured), one child logger per component.

import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** A root logger writing JSON to stdout (daemons) or stderr (CLI commands, so stdout stays output). */
export function createLogger(level: LevelWithSilent, stream: 'stdout' | 'stderr' = 'stdout', name = 'mooring-agent'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(stream === 'stdout' ? 1 : 2));
}
