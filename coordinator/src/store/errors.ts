// Errors of the store area.

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class SchemaTooNewError extends StoreError {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`the data dir holds schema version ${found}; this coordinator supports up to ${supported}`);
    this.name = 'SchemaTooNewError';
  }
}
