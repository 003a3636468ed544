// A string that must never be logged: JSON, string conversion and util.inspect all print
// "[redacted]", so a whole config object can be handed to pino or JSON.stringify safely. Only
// reveal() returns the value, and only the code that sends it should call it.

import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
