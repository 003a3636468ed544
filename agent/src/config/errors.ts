// Errors of the configuration layer. Every issue names the key and the source the value came from
// (a file, an environment variable or a flag) so an operator knows where to fix it; values of
// secret keys never appear in the text.

/** Where a configuration value came from. */
export type ConfigSource =
  { kind: 'default' } | { kind: 'file'; path: string } | { kind: 'env'; name: string } | { kind: 'flag'; flag: string };

/** "default", "file /etc/mooring/agent.yaml", "env MOORING_AGENT_ROLE", "flag --role". */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file ${source.path}`;
    case 'env':
      return `env ${source.name}`;
    case 'flag':
      return `flag ${source.flag}`;
  }
}

export interface ConfigIssue {
  /** The configuration key (camelCase, as in the file), or "config" for the file itself. */
  key: string;
  source: ConfigSource;
  /** What is wrong, without the key and source, e.g. `"abc" is not HOST:PORT`. */
  problem: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.key}: ${issue.problem} (from ${describeSource(issue.source)})`;
}

/** Configuration is invalid; the message lists every issue found, each naming its key and source. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration: ${issues.map(formatIssue).join('; ')}`, options);
  }
}

/** The errno code of a failed file operation ("ENOENT"), or "error" when there is none. */
export function errnoCode(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'error';
}

/** A value for a message: JSON-quoted and cut to a readable length. */
export function quote(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
