// The zod schemas of single configuration values. Each checks one raw value (a string from env or
// argv, any YAML/JSON value from the file) and normalises it (durations to ms, HOST:PORT to host
// and port). Messages are predicates ("is not HOST:PORT"); the loader prefixes the key, the value
// and the source.

import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../common/duration.js';
import { formatRemote, parseRemote } from '../../../proto/ovsdb/transport.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { parseAllowedHost, type AllowedHost } from '../status/host-policy.js';
import { Secret } from './secret.js';

export const text = z.string({ error: 'must be a string' });

export const nonEmpty = text.trim().min(1, { error: 'must not be empty' });

export function hostPort(allowPortZero: boolean): z.ZodType<HostPort, unknown> {
  return text.transform((v, ctx) => {
    const parsed = parseHostPort(v, { allowPortZero });
    if (parsed) return parsed;
    ctx.issues.push({
      code: 'custom',
      message: `is not HOST:PORT (port ${allowPortZero ? '0' : '1'}-65535; [brackets] around IPv6)`,
      input: v,
    });
    return z.NEVER;
  });
}

/** A duration in ms: a number of ms in the file, or "5s", "500ms", "1m30s" anywhere. */
export const duration = z.union([z.number(), z.string()], { error: 'must be a duration such as 5s or 500ms' }).transform((v, ctx) => {
  let ms: number;
  try {
    ms = typeof v === 'number' ? v : parseDuration(v, 'duration');
  } catch {
    ctx.issues.push({ code: 'custom', message: 'is not a duration (e.g. 500ms, 5s, 1m)', input: v });
    return z.NEVER;
  }
  if (!Number.isFinite(ms) || ms <= 0 || ms > 86_400_000) {
    ctx.issues.push({ code: 'custom', message: 'must be more than 0 and at most 24h', input: v });
    return z.NEVER;
  }
  return Math.round(ms);
});

// Tokens are opaque printable text; the message never repeats the value.
export const token = nonEmpty
  .refine((v) => v.length <= 4096, { error: 'is longer than 4096 characters' })
  .refine((v) => /^[\x21-\x7e]+$/.test(v), { error: 'must be printable ASCII without whitespace' })
  .transform((v) => new Secret(v));

export const ovsdbRemote = nonEmpty.transform((v, ctx) => {
  try {
    return formatRemote(parseRemote(v));
  } catch {
    ctx.issues.push({ code: 'custom', message: 'is not an OVSDB remote (unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT)', input: v });
    return z.NEVER;
  }
});

export const httpsUrl = nonEmpty.refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' && u.pathname === '/' && !u.search && !u.username;
    } catch {
      return false;
    }
  },
  { error: 'is not an https://HOST:PORT URL' },
);

// Names for the status endpoint's Host check: a list in the file, comma-separated anywhere.
export const allowedHosts = z
  .union([z.string(), z.array(z.string())], { error: 'must be a list of HOST, HOST:PORT or .DOMAIN' })
  .transform((v, ctx): AllowedHost[] => {
    const entries = (typeof v === 'string' ? v.split(',') : v).map((e) => e.trim()).filter((e) => e !== '');
    const parsed: AllowedHost[] = [];
    for (const entry of entries) {
      const h = parseAllowedHost(entry);
      if (h) {
        parsed.push(h);
        continue;
      }
      ctx.issues.push({
        code: 'custom',
        message: `has ${JSON.stringify(entry)}, which is not HOST, HOST:PORT or .DOMAIN (no wildcards)`,
        input: v,
      });
      return z.NEVER;
    }
    return parsed;
  });

/**
 * A list of coordinator HOST:PORT addresses: a YAML/JSON list, a comma-separated string (env), or
 * the strings of a repeated flag. Each entry is checked on its own and named by its position, so
 * an operator sees which one is wrong; an empty list and a repeated address are refused too.
 */
export const hostPortList = z
  .union([z.string(), z.array(z.string())], { error: 'must be a list of HOST:PORT' })
  .transform((v, ctx): HostPort[] => {
    const entries = (typeof v === 'string' ? v.split(',') : v).map((e) => e.trim());
    const fail = (message: string): typeof z.NEVER => {
      ctx.issues.push({ code: 'custom', message, input: v });
      return z.NEVER;
    };
    if (entries.every((e) => e === '')) return fail('is empty: give at least one HOST:PORT');
    const parsed: HostPort[] = [];
    const seen = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      const at = `entry ${i + 1} (${JSON.stringify(entry)})`;
      const hp = parseHostPort(entry, { allowPortZero: false });
      if (!hp) return fail(`has ${at}, which is not HOST:PORT (port 1-65535; [brackets] around IPv6)`);
      const id = `${hp.host.toLowerCase()}:${hp.port}`;
      if (seen.has(id)) return fail(`has ${at} twice`);
      seen.add(id);
      parsed.push(hp);
    }
    return parsed;
  });

// A bridge is a netdev: Linux IFNAMSIZ-1 characters, no whitespace, '/' or ':'.
export const bridge = text.regex(/^[^\s/:]{1,15}$/, { error: 'is not a bridge name (1-15 characters, no whitespace, / or :)' });

// The agent id: lowercase DNS-label characters, as the coordinator names agents.
export const agentName = text.regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, {
  error: 'is not an agent name (lowercase letters, digits, . or -, at most 63)',
});

export const datapathType = text.regex(/^[a-z0-9_-]{0,32}$/, { error: 'is not a datapath type ("", system, netdev, ...)' });

/** A file or directory path: relative values resolve against base (the config file's directory or the cwd). */
export function filePath(base: string): z.ZodType<string, unknown> {
  return nonEmpty.transform((v) => path.resolve(base, v));
}
