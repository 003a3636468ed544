// moorctl agent sriov set|remove|show: an agent's desired SR-IOV state per PF, and what the agent
// reports (smartNIC mode with its evidence, PFs, VFs, representors). `agent show` prints the same
// report section.
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseVfSettingsText } from '../../../proto/shared/sriov-settings.js';
import type { AgentSriovResponse__Output, SriovReport__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { printJson, renderTable, type Output } from './output.js';
import { parseDurationSeconds } from './sizes.js';

/** The SR-IOV part of `agent show`: mode, PFs, VFs and representors. */
export function writeSriovReport(out: Output, report: SriovReport__Output): void {
  const nic = report.smartNic;
  if (nic) {
    const next = nic.nextBootMode && nic.nextBootMode !== nic.mode ? `, ${nic.nextBootMode} after the next boot` : '';
    const hw = [nic.vendor, nic.model, nic.firmware && `firmware ${nic.firmware}`].filter(Boolean).join(' ');
    out.write(
      `\nsmartNIC mode  ${nic.mode}${next} (on the ${nic.location === 'smartnic-os' ? "smartNIC's own OS" : nic.location}; from ` +
        `${nic.source})${hw ? `; ${hw}` : ''}\n`,
    );
    for (const e of nic.evidence) out.write(`  - ${e}\n`);
  }
  if (report.lastReconcileAt)
    out.write(`reconciled    revision ${report.desiredRevision} at ${report.lastReconcileAt}: ${report.lastReconcileError || 'ok'}\n`);
  if (report.pfs.length > 0) {
    out.write('\nSR-IOV PFs\n');
    out.write(
      renderTable(
        ['PF', 'PCI', 'DRIVER', 'NUMA', 'ESWITCH', 'VFS', 'MODEL', 'FIRMWARE'],
        report.pfs.map((p) => [
          p.netdev,
          p.pciAddress || '-',
          p.driver || '-',
          p.numaNode < 0 ? '-' : String(p.numaNode),
          p.eswitchMode,
          `${p.numVfs}/${p.totalVfs}`,
          p.model || '-',
          p.firmware || '-',
        ]),
      ),
    );
    const vfs = report.pfs.flatMap((p) =>
      p.vfs.map((v) => [
        p.netdev,
        String(v.vf),
        v.pciAddress || '-',
        v.netdev || '-',
        v.mac || '-',
        v.vlan ? `${v.vlan}${v.qos ? `/${v.qos}` : ''}` : '-',
        v.trust || '-',
        v.spoofchk || '-',
        v.linkState || '-',
        v.maxTxRate ? `${v.minTxRate}-${v.maxTxRate}` : '-',
        v.representor || '-',
      ]),
    );
    if (vfs.length > 0) {
      out.write('\nVFs\n');
      out.write(renderTable(['PF', 'VF', 'PCI', 'NETDEV', 'MAC', 'VLAN/QOS', 'TRUST', 'SPOOFCHK', 'STATE', 'RATE', 'REPRESENTOR'], vfs));
    }
  }
  if (report.representors.length > 0) {
    out.write('\nrepresentors\n');
    out.write(
      renderTable(
        ['NETDEV', 'PORT', 'FLAVOUR', 'SWITCH'],
        report.representors.map((r) => [r.netdev, r.physPortName, r.flavour, r.switchId]),
      ),
    );
  }
  if (report.problems.length > 0) out.write(`\nSR-IOV problems: ${report.problems.join('; ')}\n`);
}

function writeResponse(out: Output, r: AgentSriovResponse__Output): void {
  if (out.json) return printJson(out, r);
  const pfs = r.desired?.pfs ?? [];
  out.write(`desired SR-IOV state of ${r.agent}, revision ${r.desired?.revision ?? 0}${pfs.length === 0 ? ': none' : ''}\n`);
  if (pfs.length > 0) {
    const settings = (p: (typeof pfs)[number]): string =>
      p.vfs
        .map(
          (v) =>
            `${v.vf}:${Object.entries(v.settings)
              .map(([k, x]) => `${k}=${x}`)
              .join(',')}`,
        )
        .join(' ') || '-';
    out.write(
      renderTable(
        ['PF', 'VFS', 'ESWITCH', 'AUTOPROBE', 'VF SETTINGS'],
        pfs.map((p) => [p.pf, String(p.numVfs), p.eswitchMode || '-', p.autoprobe || '-', settings(p)]),
      ),
    );
  }
  if (r.report) writeSriovReport(out, r.report);
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function count(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}

export function sriovCommand(): Command {
  const sriov = new Command('sriov').description('SR-IOV VFs, eswitch mode and the smartNIC mode of an agent');

  sriov
    .command('set <name>')
    .description('store one PF’s desired VFs (and eswitch mode, VF settings) for the agent and wait until it applies them (admin)')
    .requiredOption('--pf <pf>', 'the PF netdev (e.g. p0)')
    .requiredOption('--vfs <n>', 'number of VFs', count)
    .addOption(new Option('--mode <mode>', 'eswitch mode').choices(['legacy', 'switchdev']))
    .addOption(new Option('--autoprobe <on|off>', 'sriov_drivers_autoprobe before enabling VFs').choices(['on', 'off']))
    .option(
      '--vf <settings>',
      'per-VF settings, repeatable: VF:key=value,... (mac, vlan, qos, spoofchk, trust, state, max_tx_rate, min_tx_rate)',
      collect,
      [],
    )
    .option('--wait <duration>', 'how long to wait for the agent to apply it', '2m')
    .action(
      async (
        name: string,
        o: { pf: string; vfs: number; mode?: string; autoprobe?: string; vf: string[]; wait: string },
        command: Command,
      ) =>
        withClient(command, async (client, out) => {
          const vfs = o.vf.map((text) => parseVfSettingsText(text));
          const seconds = parseDurationSeconds(o.wait, '--wait');
          const pf = { pf: o.pf, numVfs: o.vfs, eswitchMode: o.mode ?? '', autoprobe: o.autoprobe ?? '', vfs };
          writeResponse(
            out,
            await client.call('AgentAdminService', 'SetSriov', { agent: name, pf, timeoutSeconds: seconds }, (seconds + 5) * 1000),
          );
        }),
    );

  sriov
    .command('remove <name>')
    .description('drop one PF from the agent’s desired SR-IOV state; its VFs are left as they are (admin)')
    .requiredOption('--pf <pf>', 'the PF netdev')
    .option('--wait <duration>', 'how long to wait for the agent', '2m')
    .action(async (name: string, o: { pf: string; wait: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const seconds = parseDurationSeconds(o.wait, '--wait');
        const pf = { pf: o.pf, numVfs: 0, eswitchMode: '', autoprobe: '', vfs: [] };
        writeResponse(
          out,
          await client.call(
            'AgentAdminService',
            'SetSriov',
            { agent: name, pf, remove: true, timeoutSeconds: seconds },
            (seconds + 5) * 1000,
          ),
        );
      }),
    );

  sriov
    .command('show <name>')
    .description('the desired SR-IOV state and what the agent last reported')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => writeResponse(out, await client.call('AgentAdminService', 'GetSriov', { agent: name }))),
    );

  return sriov;
}
