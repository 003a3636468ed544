// `mooring-agent lxd init-cert|import-cert|show-cert|trust|check`: this VM host's credentials for
// LXD's HTTPS API. They read the agent's own configuration (--config, MOORING_AGENT_*, flags), so
// the files land where the daemon looks (DATA_DIR/lxd/ unless --lxd-cert/--lxd-key/--lxd-server-cert
// say otherwise). Trust tokens and passwords are read from a file or stdin, never from argv.

import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Command } from 'commander';
import { loadAgentConfig, type AgentConfig } from '../config/agent-config.js';
import { addAgentConfigOptions } from '../config/config-flags.js';
import { LxdCredentialFiles } from '../lxd/client-credentials.js';
import { LxdClient } from '../lxd/rest-client.js';
import { certificateFingerprint } from '../lxd/endpoint.js';
import { certificateRestriction, trustLxd } from '../lxd/trust.js';

async function configOf(cmd: Command): Promise<AgentConfig> {
  return loadAgentConfig({ flags: cmd.opts(), env: process.env });
}

function filesOf(config: AgentConfig): LxdCredentialFiles {
  return new LxdCredentialFiles(config.lxd.files);
}

function requireUrl(config: AgentConfig): string {
  if (!config.lxd.url) throw new Error('LXD over HTTPS needs --lxd-url https://HOST:PORT (or lxdUrl in the config file)');
  return config.lxd.url;
}

/** A secret from a file, or from stdin for "-"; trimmed, and never echoed. */
async function readSecret(file: string, what: string): Promise<string> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  const v = text.trim();
  if (!v) throw new Error(`the ${what} ${file === '-' ? 'on stdin' : `in ${file}`} is empty`);
  return v;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What a restriction means for the operator, in one line. */
function restrictionText(restrictedTo: string[] | null): string {
  return restrictedTo
    ? `restricted to project${restrictedTo.length === 1 ? '' : 's'} ${restrictedTo.join(', ') || '(none)'}: other projects' usage ` +
        'will show as unknown'
    : 'unrestricted: LXD lets this certificate manage every project on the host (a token from `lxc config trust add --restricted ' +
        '--projects P` limits it to P)';
}

function printIdentity(config: AgentConfig, certPem: string, fingerprint: string): void {
  process.stdout.write(
    `${certPem.trim()}\n\nfingerprint: ${fingerprint}\ncertificate: ${config.lxd.files.certFile}\nkey:         ` +
      `${config.lxd.files.keyFile} (mode 0600)\n` +
      'Trust it on the LXD host with `lxc config trust add CERT-FILE`, or run `mooring-agent lxd trust` with a token from `lxc ' +
      'config trust add`.\n',
  );
}

export function lxdCommand(): Command {
  const lxd = new Command('lxd').description("this VM host's credentials for LXD's HTTPS API");

  const init = addAgentConfigOptions(
    lxd.command('init-cert').description('generate a client key and self-signed certificate and print the certificate'),
  )
    .option('--common-name <cn>', 'certificate subject CN (default mooring@HOSTNAME)')
    .option('--force', 'replace an existing key and certificate', false);
  init.action(async (o: { commonName?: string; force: boolean }) => {
    const config = await configOf(init);
    const id = await filesOf(config).generate(o.commonName ?? `mooring@${hostname()}`, o.force);
    printIdentity(config, id.certPem, id.fingerprint);
  });

  const imp = addAgentConfigOptions(
    lxd.command('import-cert').description('import an existing key and certificate (a passphrase-protected key is refused)'),
  )
    .requiredOption('--cert-file <file>', 'PEM certificate')
    .requiredOption('--key-file <file>', 'PEM private key, not encrypted');
  imp.action(async (o: { certFile: string; keyFile: string }) => {
    const config = await configOf(imp);
    const [certPem, keyPem] = await Promise.all([readFile(o.certFile, 'utf8'), readFile(o.keyFile, 'utf8')]);
    const id = await filesOf(config).import(keyPem, certPem);
    printIdentity(config, id.certPem, id.fingerprint);
  });

  const show = addAgentConfigOptions(lxd.command('show-cert').description('print the client certificate for the operator to trust'));
  show.action(async () => {
    const config = await configOf(show);
    const id = await filesOf(config).identity();
    printIdentity(config, id.certPem, id.fingerprint);
  });

  const trust = addAgentConfigOptions(
    lxd.command('trust').description('get the client certificate trusted by LXD with a trust token or the trust password (LXD 5.x)'),
  )
    .option('--trust-token-file <file>', 'file holding a token from `lxc config trust add` ("-": stdin)')
    .option('--trust-password-file <file>', 'file holding core.trust_password ("-": stdin)')
    .option('--server-fingerprint <sha256>', "LXD's certificate fingerprint (`lxc info`); with a token it comes from the token")
    .option('--cert-name <name>', 'name LXD records for the certificate');
  trust.action(async (o: { trustTokenFile?: string; trustPasswordFile?: string; serverFingerprint?: string; certName?: string }) => {
    const config = await configOf(trust);
    if (Boolean(o.trustTokenFile) === Boolean(o.trustPasswordFile))
      throw new Error('give exactly one of --trust-token-file or --trust-password-file');
    const r = await trustLxd({
      url: requireUrl(config),
      files: filesOf(config),
      token: o.trustTokenFile ? await readSecret(o.trustTokenFile, 'trust token') : undefined,
      password: o.trustPasswordFile ? await readSecret(o.trustPasswordFile, 'trust password') : undefined,
      serverFingerprint: o.serverFingerprint,
      name: o.certName,
    });
    process.stdout.write(
      `trusted by ${config.lxd.url}: client ${r.clientFingerprint}, server certificate ${r.serverFingerprint} pinned in ` +
        `${config.lxd.files.serverCertFile}\n`,
    );
    process.stdout.write(`certificate ${restrictionText(r.restrictedTo)}\n`);
  });

  const check = addAgentConfigOptions(
    lxd.command('check').description('connect to LXD as the daemon would and print what it says about this client'),
  );
  check.action(async () => {
    const config = await configOf(check);
    // Loaded here: lxd-startup brings the daemon's whole LXD side, which the other commands do without.
    const { lxdEndpoint } = await import('../lxd/lxd-startup.js');
    const client = new LxdClient(await lxdEndpoint(config.lxd), { connections: 1, timeoutMs: 10_000 });
    try {
      const info = await client.get<{ auth?: string; environment?: { server_version?: string; driver?: string } }>('/1.0');
      // Over HTTPS and trusted, LXD says which projects the certificate is restricted to (the unix socket is never restricted).
      const ep = client.endpoint;
      const restrictedTo =
        ep.kind === 'https' && info.auth === 'trusted' ? await certificateRestriction(client, certificateFingerprint(ep.certPem)) : null;
      const env = info.environment;
      const report = { endpoint: client.label, auth: info.auth, serverVersion: env?.server_version, driver: env?.driver, restrictedTo };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } finally {
      await client.close();
    }
  });

  return lxd;
}
