// HOST:PORT addresses as operators write them: "127.0.0.1:9180", "coord.example:7443",
// "[::1]:9180". IPv6 literals need brackets, as in URLs, so the last colon is the port separator.

export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT_RE = /^(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** Parses HOST:PORT; returns undefined when the text is not one or the port is out of range. */
export function parseHostPort(text: string, options: { allowPortZero: boolean }): HostPort | undefined {
  const m = HOST_PORT_RE.exec(text.trim());
  if (!m) return undefined;
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port > 65535 || (port === 0 && !options.allowPortZero)) return undefined;
  if (host.startsWith('.') || host.endsWith('-') || host.includes('..')) return undefined;
  return { host, port };
}

/** Formats back to HOST:PORT, bracketing IPv6 literals. */
export function formatHostPort(a: HostPort): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
