// Errors of the metrics listener.

/** The /metrics listener could not bind its address (taken, not local, not permitted). */
export class MetricsListenError extends Error {
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
      `cannot serve /metrics on ${shown}: ${why}; choose another address with --metrics-listen (MOORING_METRICS_LISTEN, ` +
        `metricsListen in the config file), or "off" to serve no metrics`,
      options,
    );
    this.name = 'MetricsListenError';
  }
}
