// Structured logs (pino). Secrets never reach a log line: known secret-bearing paths are redacted
// as a second line of defence; the code does not log them in the first place.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { name: 'mooring-coordinator' },
    redact: {
      paths: ['password', '*.password', '*.*.password', 'secret', '*.secret', 'token', '*.token', 'authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
