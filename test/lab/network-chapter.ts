// The tenant-network chapter of the lab story, on real OVN: the lab's coordinator has run with OVN
// central (NB, SB, ovn-northd) from its first step; here each smartNIC gets a real ovn-controller
// against its own OVS, two tenants each make a network, one of them a security group opening TCP 22
// from one CIDR, and each deploys on its network as itself. Then ovn-trace (the logical pipeline,
// read from SB) and ovs-appctl ofproto/trace (the OpenFlow tables ovn-controller installed on a
// smartNIC) show what reaches whom: same network and allowed delivered, everything else dropped.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTrace, type TraceVerdict } from '../harness/ovn.js';
import { waitFor } from '../harness/ovs.js';
import type { Lab, LabMachine } from './lab.js';
import { PORT_ID } from './lab.js';
import type { LabStep } from './story.js';

/** Tenant A is the story's member (alice): her group's reserved node-2 is hers to allocate. */
const TENANT_B = 'bob';
const NET_A = { name: 'alice-net', cidr: '10.0.1.0/24' };
const NET_B = { name: 'bob-net', cidr: '10.0.2.0/24' };
const GROUP = 'ssh-in';
/** The CIDR the rule opens TCP 22 from: the low sixteen addresses of alice-net, where her machines' addresses come from. */
const SSH_FROM = '10.0.1.0/28';
/** Tenant A's server (in the security group), tenant A's client on the same network, tenant B's machine. */
const SERVER = 'node-1';
const CLIENT = 'node-2';
const OTHER = 'node-3';
const DEPLOY_BOUND_MS = 300_000;
const AGENT_BOUND_MS = 60_000;

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return true; // any answer: the agent is up (as reach.ts reads it)
  } catch {
    return false;
  }
}

interface Placed {
  readonly m: LabMachine;
  readonly lsp: string;
  readonly ip: string;
  readonly network: string;
}

/** What the chapter found, kept on the lab for the trace step. */
const placed = new Map<string, Placed>();

/**
 * A member `user` and an API token of theirs in a 0600 file in the lab's dir (its path); `env`:
 * another coordinator's moorctl environment (its admin's), for the VM chapter's.
 */
export async function memberToken(lab: Lab, user: string, env: Record<string, string> = {}): Promise<string> {
  await lab.shell.moorctl(['user', 'create', user, '--role', 'member'], { env });
  const created = JSON.parse(
    await lab.shell.moorctl(['--json', 'token', 'create', '--user', user, '--description', 'lab tenant'], { show: 'none', env }),
  ) as { secret: string };
  const file = path.join(lab.dir, `${user}.token`);
  await writeFile(file, `${created.secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  lab.progress.line(`${user}'s API token (shown once by moorctl) written to ${file}, mode 0600`);
  return file;
}

async function deployOn(lab: Lab, tokenFile: string, hostname: string, network: string, groups: readonly string[]): Promise<Placed> {
  const as = ['--token-file', tokenFile];
  await lab.shell.moorctl([...as, 'machine', 'allocate', '--name', hostname, '--reason', 'lab tenant network'], { show: 'none' });
  const sg = groups.flatMap((g) => ['--security-group', g]);
  await lab.shell.moorctl([...as, 'machine', 'deploy', hostname, '--network', network, ...sg, '--watch'], {
    show: (line) => /tenant network|OVN reports/.test(line),
    timeoutMs: DEPLOY_BOUND_MS,
  });
  const shown = JSON.parse(await lab.shell.moorctl([...as, '--json', 'machine', 'show', hostname], { show: 'none' })) as {
    status: string;
    portNetworks: { network: string; lsp: string; ip: string; ovnState: string; ovnChassis: string }[];
  };
  const port = shown.portNetworks.find((p) => p.network === network);
  if (!port) throw new Error(`${hostname} has no port on ${network}`);
  if (port.ovnState !== 'up') throw new Error(`${hostname}'s port on ${network} is ${port.ovnState}, not up`);
  const m = lab.machine(hostname);
  const status = shown.status.replace('MACHINE_STATUS_', '');
  lab.progress.line(`${hostname} ${status} on ${network}: ${PORT_ID} is LSP ${port.lsp}, ${port.ip}, up on chassis ${port.ovnChassis}`);
  return { m, lsp: port.lsp, ip: port.ip, network };
}

export const tenantNetworks: LabStep = {
  title: 'Two tenants on OVN: a network each, a security group, a machine deployed on each network',
  async run(lab) {
    const ovn = lab.ovn;
    if (!ovn || !lab.member) throw new Error('OVN central and the member come first');
    lab.progress.line(`OVN central: NB ${ovn.nbRemote}, SB ${ovn.sbRemote}, ovn-northd (the coordinator has used them from the start)`);
    await Promise.all(lab.machines.map((m) => lab.startOvnController(m)));
    lab.progress.line(`ovn-controller started on ${lab.machines.map((m) => m.agentName).join(', ')}, each against its smartNIC's own OVS`);
    await lab.shell.command('ovn-sbctl', [`--db=${ovn.sbRemote}`, '--bare', '--columns=name', 'list', 'Chassis'], {
      show: (line) => line !== '',
    });

    const alice = lab.member.tokenFile;
    const bob = await memberToken(lab, TENANT_B);
    const asAlice = ['--token-file', alice];
    await lab.shell.moorctl([...asAlice, 'network', 'create', NET_A.name, '--cidr', NET_A.cidr], { show: 'none' });
    await lab.shell.moorctl(['--token-file', bob, 'network', 'create', NET_B.name, '--cidr', NET_B.cidr], { show: 'none' });
    await lab.shell.moorctl([...asAlice, 'security-group', 'create', GROUP], { show: 'none' });
    const rule = ['security-group', 'rule', 'add', GROUP, '--direction', 'in', '--protocol', 'tcp', '--port', '22'];
    await lab.shell.moorctl([...asAlice, ...rule, '--remote-cidr', SSH_FROM], { show: 'none' });
    await lab.shell.moorctl(['network', 'list']);

    const [server, client, other] = await Promise.all([
      deployOn(lab, alice, SERVER, NET_A.name, [GROUP]),
      deployOn(lab, alice, CLIENT, NET_A.name, []),
      deployOn(lab, bob, OTHER, NET_B.name, []),
    ]);
    // The deploy ends with a power cycle: each smartNIC's agent is still booting when DEPLOYED is reported.
    await Promise.all(
      [server, client, other].map((p) => waitFor(() => answers(`${p.m.statusUrl}/healthz`), AGENT_BOUND_MS, `${p.m.agentName}'s agent up`)),
    );
    lab.progress.line(
      `the smartNIC agents ${[server, client, other].map((p) => p.m.agentName).join(', ')} are up again after the deploys' power cycles`,
    );
    placed.set(SERVER, server);
    placed.set(CLIENT, client);
    placed.set(OTHER, other);
  },
};

function describeVerdict(v: TraceVerdict, owner: (lsp: string) => string): string {
  return v.kind === 'delivered' ? `delivered to ${v.to.map(owner).join(', ')}` : `dropped at ${v.stage}`;
}

/** One TCP microflow from `from` to `to`'s MAC and address, as ovn-trace takes it. */
function microflow(from: Placed, to: Placed, port: number): string {
  return [
    `inport == "${from.lsp}"`,
    `eth.src == ${from.m.mac}`,
    `eth.dst == ${to.m.mac}`,
    `ip4.src == ${from.ip}`,
    `ip4.dst == ${to.ip}`,
    'ip.ttl == 64',
    'tcp.src == 40000',
    `tcp.dst == ${port}`,
  ].join(' && ');
}

export const isolation: LabStep = {
  title: 'Isolation as ovn-trace and ofproto/trace show it',
  async run(lab) {
    const ovn = lab.ovn;
    const [server, client, other] = [placed.get(SERVER), placed.get(CLIENT), placed.get(OTHER)];
    if (!ovn || !server || !client || !other) throw new Error('the tenants have not deployed yet');
    const owner = (lsp: string): string => [...placed.values()].find((p) => p.lsp === lsp)?.m.hostname ?? lsp;
    // The switch is named by Mooring; ovn-trace takes its name.
    const switchOf = async (network: string): Promise<string> => {
      const [name] = await ovn.nbFind('Logical_Switch', 'name', `external_ids:mooring\\:name=${network}`);
      if (!name) throw new Error(`no Logical_Switch for ${network} in NB`);
      return name;
    };
    await ovn.nbctl('--wait=sb', 'sync');
    const cases: { what: string; from: Placed; port: number; want: (v: TraceVerdict) => boolean; expect: string }[] = [
      {
        what: `${CLIENT} -> ${SERVER} tcp/22 (same network, ${client.ip} inside ${SSH_FROM})`,
        from: client,
        port: 22,
        want: (v) => v.kind === 'delivered' && v.to.length === 1 && v.to[0] === server.lsp,
        expect: `delivered to ${SERVER}`,
      },
      {
        what: `${CLIENT} -> ${SERVER} tcp/80 (same network, no rule opens 80)`,
        from: client,
        port: 80,
        want: (v) => v.kind === 'dropped' && v.stage.includes('acl'),
        expect: 'dropped by an ACL stage',
      },
      {
        what: `${OTHER} (${TENANT_B}) -> ${SERVER} tcp/22 (another tenant's network)`,
        from: other,
        port: 22,
        want: (v) => v.kind === 'dropped',
        expect: 'dropped',
      },
    ];
    for (const c of cases) {
      const out = await lab.shell.command(
        'ovn-trace',
        [
          `--db=${ovn.sbRemote}`,
          '--no-friendly-names',
          '--ct=new',
          '--ct=new',
          await switchOf(c.from.network),
          microflow(c.from, server, c.port),
        ],
        { show: 'none', env: { OVN_RUNDIR: ovn.dir } },
      );
      const verdict = parseTrace(out);
      const text = describeVerdict(verdict, owner);
      lab.progress.line(`ovn-trace verdict: ${c.what}: ${text}`);
      if (!c.want(verdict)) throw new Error(`ovn-trace ${c.what}: ${text}, expected ${c.expect}`);
    }

    // The same cross-tenant packet through the OpenFlow tables on bob's smartNIC.
    const flow = [
      `in_port=${PORT_ID}`,
      'tcp',
      `dl_src=${other.m.mac}`,
      `dl_dst=${server.m.mac}`,
      `nw_src=${other.ip}`,
      `nw_dst=${server.ip}`,
      'nw_ttl=64',
      'tp_src=40000',
      'tp_dst=22',
    ].join(',');
    const ctl = path.join(other.m.host.ovs.dir, 'ovs-vswitchd.ctl');
    const traced = await lab.shell.command('ovs-appctl', [`--target=${ctl}`, 'ofproto/trace', 'br-int', flow], {
      show: (line) => line.startsWith('Datapath actions:'),
    });
    const actions = [...traced.matchAll(/^Datapath actions: (.*)$/gm)].map((m) => m[1]!.trim());
    const last = actions.at(-1) ?? '(none)';
    lab.progress.line(`ofproto/trace verdict on ${other.m.agentName}: ${OTHER} -> ${SERVER} tcp/22: datapath actions ${last}`);
    if (last !== 'drop') throw new Error(`ofproto/trace on ${other.m.agentName}: datapath actions ${last}, expected drop`);
  },
};
