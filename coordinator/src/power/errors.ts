// Errors of the power area.
import type { PowerDriverName } from '../machines/machine.js';

export class PowerDriverUnavailableError extends Error {
  constructor(readonly driver: PowerDriverName) {
    super(`no ${driver} power driver is available in this coordinator`);
    this.name = 'PowerDriverUnavailableError';
  }
}

export class PowerQueryTimeoutError extends Error {
  constructor(
    readonly driver: PowerDriverName,
    readonly timeoutMs: number,
  ) {
    super(`the ${driver} power driver did not answer within ${timeoutMs} ms`);
    this.name = 'PowerQueryTimeoutError';
  }
}
