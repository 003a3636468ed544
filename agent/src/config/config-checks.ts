// The checks that look past one key's value: the token and tokenFile pair, files that must be
// readable at start, and settings another key makes required. They run on the typed values the
// schema produced (a key whose value was bad reads as unset) and add to the same issue list, so one
// error still reports every problem found.

import { access, constants } from 'node:fs/promises';
import { readSecretFile, SecretFileError } from '../../../proto/shared/secret-file.js';
import type { ConfigKey, ConfigValues } from './config-schema.js';
import { SOURCE_RANK } from './config-sources.js';
import { token as tokenSchema } from './config-values.js';
import { describeSource, errnoCode, quote, type ConfigIssue, type ConfigSource } from './errors.js';
import type { Secret } from './secret.js';

type Sources = Readonly<Record<ConfigKey, ConfigSource>>;

export interface OvsdbTlsFiles {
  privateKey: string;
  certificate: string;
  caCert: string;
}

/** Keys naming a certificate or key file the agent reads later. */
export type CredentialFileKey = 'caFile' | 'ovsdbPrivateKey' | 'ovsdbCertificate' | 'ovsdbCaCert' | 'lxdCert' | 'lxdKey' | 'lxdServerCert';

/**
 * token and tokenFile are two spellings of one setting: the one from the higher-precedence source
 * wins; both from the same kind of source is ambiguous and an error. A token file is read here,
 * trimmed, and checked like a token, so a bad file fails at start without echoing its content.
 */
export async function resolveToken(values: ConfigValues, sources: Sources, issues: ConfigIssue[]): Promise<Secret | null> {
  const direct = sources.token;
  const viaFile = sources.tokenFile;
  const hasDirect = direct.kind !== 'default';
  const hasFile = viaFile.kind !== 'default';
  if (hasDirect && hasFile && SOURCE_RANK[direct.kind] === SOURCE_RANK[viaFile.kind]) {
    issues.push({ key: 'token', source: direct, problem: `is also set as tokenFile (from ${describeSource(viaFile)}); set only one` });
    return null;
  }
  if (hasDirect && SOURCE_RANK[direct.kind] > SOURCE_RANK[viaFile.kind]) return values.token ?? null;
  const file = values.tokenFile;
  if (!hasFile || file === undefined) return null;
  let content: string;
  try {
    // A regular file of bounded size only: tokenFile=/dev/zero must fail at once, not fill memory.
    content = await readSecretFile(file);
  } catch (err) {
    const why = err instanceof SecretFileError ? err.reason : `cannot be read (${errnoCode(err)})`;
    issues.push({ key: 'tokenFile', source: viaFile, problem: `${quote(file)} ${why}` });
    return null;
  }
  const parsed = tokenSchema.safeParse(content.trim());
  if (parsed.success) return parsed.data;
  issues.push({
    key: 'tokenFile',
    source: viaFile,
    problem: `${quote(file)} holds no valid token: it ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
  });
  return null;
}

/** Certificate and key files must be readable now, not at the first connection attempt. */
export async function checkReadable(
  keys: readonly CredentialFileKey[],
  values: ConfigValues,
  sources: Sources,
  issues: ConfigIssue[],
): Promise<void> {
  await Promise.all(
    keys.map(async (key) => {
      const file = values[key];
      if (file === undefined) return;
      try {
        await access(file, constants.R_OK);
      } catch (err) {
        issues.push({ key, source: sources[key], problem: `${quote(file)} cannot be read (${errnoCode(err)})` });
      }
    }),
  );
}

/** Talking to a coordinator means checking its certificate, so caFile must be given with it. */
export function checkCoordinatorCa(values: ConfigValues, sources: Sources, issues: ConfigIssue[]): void {
  const key = values.coordinators ? 'coordinators' : 'coordinator';
  if (values[key] && sources.caFile.kind === 'default') {
    issues.push({ key: 'caFile', source: sources[key], problem: `is required when ${key} is set` });
  }
}

/**
 * coordinator (one address, as before) and coordinators (a list) are two spellings of one setting;
 * both set is ambiguous, whatever their sources, so it is refused rather than merged.
 */
export function checkCoordinatorSpelling(sources: Sources, issues: ConfigIssue[]): void {
  if (sources.coordinator.kind !== 'default' && sources.coordinators.kind !== 'default') {
    issues.push({
      key: 'coordinators',
      source: sources.coordinators,
      problem: `is also set as coordinator (from ${describeSource(sources.coordinator)}); set only one (a list of one is fine)`,
    });
  }
}

/** OVS always asks for a client certificate on ssl:, so an ssl: remote needs all three files. */
export function ovsdbTlsFiles(values: ConfigValues, sources: Sources, issues: ConfigIssue[]): OvsdbTlsFiles | null {
  const remote = values.ovsdbRemote;
  if (!remote.startsWith('ssl:')) return null;
  const missing = (['ovsdbPrivateKey', 'ovsdbCertificate', 'ovsdbCaCert'] as const).filter((k) => sources[k].kind === 'default');
  for (const k of missing)
    issues.push({ key: k, source: sources.ovsdbRemote, problem: `is required when ovsdbRemote is an ssl: remote (${remote})` });
  const { ovsdbPrivateKey: privateKey, ovsdbCertificate: certificate, ovsdbCaCert: caCert } = values;
  if (missing.length > 0 || privateKey === undefined || certificate === undefined || caCert === undefined) return null;
  return { privateKey, certificate, caCert };
}
