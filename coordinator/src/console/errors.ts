// Errors of the web console's listener and JSON API.

/** The console listener could not bind its address (taken, not local, not permitted). */
export class ConsoleListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    options: { cause: unknown },
  ) {
    const shown = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const why =
      code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EADDRNOTAVAIL' ? 'no local interface has that address' : code;
    super(
      `cannot serve the web console on ${shown}: ${why}; choose another address with --console-listen (MOORING_CONSOLE_LISTEN, ` +
        `consoleListen in the config file), or "off" to serve no console`,
      options,
    );
    this.name = 'ConsoleListenError';
  }
}

/** A JSON body that is not a valid proto3 JSON message of the method's request type. */
export class ProtoJsonError extends Error {
  constructor(
    /** The field path, e.g. "ports[0].mac" ("" for the message itself). */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtoJsonError';
  }
}
