// What the lab prints once its story is told: how to reach the coordinator with moorctl (the token
// by file path, never the token), the web console with a sign-in token per user (a browser needs
// the token pasted: those are printed, tokens made for the console alone, expiring in 12 hours),
// each smartNIC agent's status endpoint and its own OVS, and the VM host's agent and LXD.
import { MOORCTL_MAIN } from '../harness/coordinator-process.js';
import type { Lab } from './lab.js';
import { shellWord } from './operator-shell.js';

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

export async function reachText(lab: Lab): Promise<string> {
  const c = lab.coordinator;
  const lines = [
    '',
    'The lab is up. Reach the coordinator with moorctl (in another terminal):',
    `  alias moorctl=${shellWord(`node ${MOORCTL_MAIN}`)}`,
    `  export MOORING_COORDINATOR=${c.address}`,
    `  export MOORING_CA=${shellWord(lab.caFile)}`,
    `  export MOORING_TOKEN="$(cat ${shellWord(lab.adminTokenFile)})"`,
    '  moorctl machine list; moorctl agent list; moorctl events watch',
  ];
  if (lab.member)
    lines.push(
      `  as ${lab.member.user} (member of ${lab.member.group}): moorctl --token-file ${shellWord(lab.member.tokenFile)} machine allocate`,
    );
  if (c.consoleUrl) {
    lines.push(
      '',
      `The web console: open ${c.consoleUrl} (its certificate is from the lab's CA, ${shellWord(lab.caFile)}: trust it, or accept ` +
        'the warning) and sign in by pasting a token. One per user, made for the console only, valid 12 hours:',
    );
    for (const s of await lab.consoleSignIns()) {
      const groups = s.groups.length ? `, groups ${s.groups.join(',')}` : '';
      lines.push(`  ${s.user} (${s.role}${groups}): ${s.token}`);
    }
  }
  lines.push(
    '',
    'smartNIC agents: status endpoints (also /healthz, /readyz, /metrics) and their own OVS; a smartNIC runs while its host is powered on:',
  );
  for (const m of lab.machines) {
    const up = await answers(`${m.statusUrl}/healthz`);
    lines.push(
      `  ${m.agentName}  ${m.statusUrl}/status  ${up ? 'up' : `down (${m.hostname} is powered off; deploying it brings the smartNIC up)`}`,
    );
    lines.push(`  ${' '.repeat(m.agentName.length)}  ovs-vsctl --db=${m.host.ovs.unixRemote} show`);
  }
  if (lab.ovn) {
    const o = lab.ovn;
    lines.push('', 'OVN central (NB, SB, ovn-northd); each smartNIC runs an ovn-controller (its chassis is named after the smartNIC):');
    lines.push(`  ovn-nbctl --db=${o.nbRemote} show`);
    lines.push(`  ovn-sbctl --db=${o.sbRemote} show`);
    lines.push(`  ovn-trace --db=${o.sbRemote} SWITCH 'inport == "LSP" && eth.src == ... && ip4.dst == ... && tcp.dst == 22'`);
  }
  if (lab.vmHost) {
    const v = lab.vmHost;
    lines.push('', 'VM host agent (its own LXD daemon; Mooring manages project mooring-lab only):');
    lines.push(`  ${v.agentName}  ${v.agent.statusUrl}/status`);
    lines.push(`  ${' '.repeat(v.agentName.length)}  LXD_DIR=${shellWord(v.lxd.dir)} lxc list --all-projects`);
  } else if (lab.vmHostSkipped) {
    lines.push('', `No VM host: ${lab.vmHostSkipped}`);
  }
  lines.push('', `Press Ctrl-C to stop the lab: it stops every process it started and removes ${lab.dir}.`);
  return lines.join('\n');
}
