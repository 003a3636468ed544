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

/**
 * The data dir holds existing data that is damaged or incomplete. The coordinator refuses to
 * start over it (starting would mean an empty fleet, a new CA or a new admin) and says what to do.
 */
export class DataDirDamagedError extends StoreError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `${file}: ${problem}. The data dir holds existing data, so the coordinator will not start over it: restore from backup ` +
        '(mooring-coordinator restore --from FILE --force), or move the data dir away to start a new, empty fleet',
    );
    this.name = 'DataDirDamagedError';
  }
}

/** The secrets key is missing or is not the key the stored secrets were encrypted with. */
export class SecretsKeyError extends StoreError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `${file}: ${problem}. Without that key no stored secret can be read: restore from backup (mooring-coordinator restore --from ` +
        `FILE --force restores the key with the database), or point $CREDENTIALS_DIRECTORY at the credential holding it`,
    );
    this.name = 'SecretsKeyError';
  }
}
