// VM hosts: for each LXD host the user may read, per-NUMA-node bars of cores, memory and hugepages,
// the host's budgets (capacity x overcommit ratio, used by Mooring, by others, free), its storage
// pools and instances with their machines. Admins compose and delete VMs and add hosts here.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { abilitiesOf, useApp } from '../app-context.js';
import { bytes, num, time } from '../format.js';
import { useLiveLoad } from '../live-events.js';
import { DataTable, ErrorNote, Loading, Section, UsageBar } from '../page-parts.js';
import type { LxdInstance, VmHost } from '../wire-types.js';
import { AddHostForm, ComposeForm } from './vm-host-forms.js';

/** "0-3,8" -> [0,1,2,3,8]. */
function cpuList(text: string | undefined): number[] {
  const out: number[] = [];
  for (const part of (text ?? '').split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    if (a === undefined || Number.isNaN(a) || part.trim() === '') continue;
    for (let c = a; c <= (b === undefined || Number.isNaN(b) ? a : b); c++) out.push(c);
  }
  return out;
}

function NumaBars({ host }: { host: VmHost }): JSX.Element {
  const resources = host.report?.resources;
  const nodes = resources?.numa_nodes ?? [];
  if (nodes.length === 0) return <p class="muted">The agent reported no NUMA nodes.</p>;
  const pinned = new Set((host.report?.instances ?? []).flatMap((i) => cpuList(i.pinned_cpus)));
  const hugepageSize = num(resources?.hugepage_size);
  return (
    <div class="numa">
      {nodes.map((n) => {
        const cpus = n.cpus ?? [];
        const mooringCpus = cpus.filter((c) => pinned.has(num(c))).length;
        const memTotal = num(n.memory_total);
        const memUsed = num(n.memory_used);
        const hpTotal = num(n.hugepages_total);
        const hpUsed = num(n.hugepages_used);
        return (
          <div key={String(n.node)} class="numa-node">
            <h4>NUMA node {String(n.node ?? 0)}</h4>
            <UsageBar
              title="Cores"
              unit="count"
              total={cpus.length}
              segments={[
                { label: 'pinned by Mooring', value: mooringCpus, kind: 'mooring' },
                { label: 'unpinned', value: cpus.length - mooringCpus, kind: 'free' },
              ]}
            />
            <UsageBar
              title="Memory"
              unit="bytes"
              total={memTotal}
              segments={[
                { label: 'used', value: memUsed, kind: 'other' },
                { label: 'free', value: Math.max(memTotal - memUsed, 0), kind: 'free' },
              ]}
            />
            <UsageBar
              title="Hugepages"
              unit={hugepageSize > 0 ? 'bytes' : 'count'}
              total={hugepageSize > 0 ? hpTotal * hugepageSize : hpTotal}
              segments={[
                { label: 'used', value: hugepageSize > 0 ? hpUsed * hugepageSize : hpUsed, kind: 'other' },
                { label: 'free', value: Math.max(hpTotal - hpUsed, 0) * (hugepageSize > 0 ? hugepageSize : 1), kind: 'free' },
              ]}
            />
          </div>
        );
      })}
    </div>
  );
}

function Budgets({ host }: { host: VmHost }): JSX.Element {
  const tracked = host.report?.resources?.tracked;
  const other = host.report?.resources?.other;
  const budget = (title: string, r: VmHost['cores'], unit: 'count' | 'bytes', mooring: number, others: number): JSX.Element => {
    const allowed = num(r?.allowed);
    return (
      <UsageBar
        title={`${title} (capacity ${unit === 'bytes' ? bytes(r?.capacity) : num(r?.capacity)} × ${num(r?.ratio)} overcommit)`}
        unit={unit}
        total={allowed}
        segments={[
          { label: 'Mooring', value: mooring, kind: 'mooring' },
          { label: 'others', value: others, kind: 'other' },
          { label: 'free', value: Math.max(num(r?.free), 0), kind: 'free' },
        ]}
      />
    );
  };
  return (
    <div class="budgets">
      {budget('Cores', host.cores, 'count', num(tracked?.cores), num(other?.cores))}
      {budget('Memory', host.memory, 'bytes', num(tracked?.memory_bytes), num(other?.memory_bytes))}
      {budget('Hugepages', host.hugepages, 'bytes', num(tracked?.hugepage_memory_bytes), num(other?.hugepage_memory_bytes))}
      {host.report?.resources?.other_usage_note ? <p class="muted">{host.report.resources.other_usage_note}</p> : null}
    </div>
  );
}

function Instances({ host, admin, reload }: { host: VmHost; admin: boolean; reload: () => void }): JSX.Element {
  const { api } = useApp();
  const [error, setError] = useState<unknown>(undefined);
  const instances: LxdInstance[] = host.report?.instances ?? [];
  const machineOf = (i: LxdInstance): string => i.machine_id || host.instance_machines?.[i.name ?? ''] || '';
  // The host's instance list is the agent's last report, which still names a deleted instance
  // until the next one: ask for a fresh report, then show it.
  const remove = (machine: string): void => {
    setError(undefined);
    api
      .call('VmHostService', 'DeleteVm', { machine })
      .then(() => api.call('VmHostService', 'RefreshVmHost', { name: host.name }).catch(() => undefined))
      .then(reload, setError);
  };
  if (instances.length === 0) return <p class="muted">No instances in project {host.project}.</p>;
  return (
    <>
      <DataTable
        label={`Instances on ${host.name ?? ''}`}
        columns={['Instance', 'Type', 'Status', 'Cores', 'Memory', 'Disk', 'Machine', ...(admin ? ['Actions'] : [])]}
        testId={`instances-${host.name ?? ''}`}
      >
        {instances.map((i) => {
          const machine = machineOf(i);
          return (
            <tr key={i.name} data-instance={i.name}>
              <td>{i.name}</td>
              <td>{i.type}</td>
              <td>{i.status}</td>
              <td>
                {i.cores ?? 0}
                {i.pinned_cpus ? ` (${i.pinned_cpus})` : ''}
              </td>
              <td>
                {bytes(i.memory_bytes)}
                {i.hugepages ? ' hugepages' : ''}
              </td>
              <td>{i.root_disk_bytes ? bytes(i.root_disk_bytes) : '—'}</td>
              <td>{machine ? <a href={`/machines/${encodeURIComponent(machine)}`}>{machine}</a> : <span class="muted">none</span>}</td>
              {admin ? (
                <td>
                  {machine ? (
                    <button type="button" class="danger" onClick={() => remove(machine)} aria-label={`Delete ${i.name ?? ''}`}>
                      Delete
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </DataTable>
      <ErrorNote error={error} />
    </>
  );
}

function HostPanel({ host, admin, reload }: { host: VmHost; admin: boolean; reload: () => void }): JSX.Element {
  const pools = host.report?.resources?.pools ?? [];
  const agentLink = <a href={`/agents/${encodeURIComponent(host.agent ?? '')}`}>{host.agent}</a>;
  return (
    <Section title={`VM host ${host.name ?? ''}`} id={`host-${host.name ?? ''}`}>
      <p>
        Agent {agentLink} ({host.agent_state || 'unknown'}), LXD project <strong>{host.project}</strong>
        {host.report?.server_version ? `, LXD ${host.report.server_version}` : ''}, pool {host.pool || 'default'}, zone{' '}
        {host.zone || 'default'}, reported {time(host.report_at)}.
      </p>
      {host.report?.error ? (
        <p class="error" role="alert">
          {host.report.error}
        </p>
      ) : null}
      <div class="columns">
        <div>
          <h3>Budgets</h3>
          <Budgets host={host} />
        </div>
        <div>
          <h3>Per NUMA node</h3>
          <NumaBars host={host} />
        </div>
      </div>
      <h3>Storage pools</h3>
      {pools.length === 0 ? (
        <p class="muted">None reported.</p>
      ) : (
        <ul class="plain">
          {pools.map((p) => (
            <li key={p.name}>
              <UsageBar
                title={`${p.name ?? ''} (${p.driver ?? ''})`}
                unit="bytes"
                total={num(p.total_bytes)}
                segments={[
                  { label: 'used', value: num(p.used_bytes), kind: 'other' },
                  { label: 'free', value: Math.max(num(p.total_bytes) - num(p.used_bytes), 0), kind: 'free' },
                ]}
              />
            </li>
          ))}
        </ul>
      )}
      <h3>Instances</h3>
      <Instances host={host} admin={admin} reload={reload} />
      {admin ? <ComposeForm host={host} onComposed={reload} /> : null}
    </Section>
  );
}

export function VmHostsPage(): JSX.Element {
  const { api, live, session } = useApp();
  const admin = abilitiesOf(session).admin;
  const hosts = useLiveLoad(
    live,
    () => api.call<{ hosts?: VmHost[] }>('VmHostService', 'ListVmHosts', {}),
    (e) => (e.kind ?? '').startsWith('vmhost.') || (e.kind ?? '').startsWith('agent.') || Boolean(e.machine_id),
    [],
  );
  const list = hosts.value?.hosts ?? [];
  return (
    <>
      <h1>VM hosts</h1>
      <ErrorNote error={hosts.error} />
      {hosts.value === undefined && !hosts.error ? <Loading what="VM hosts" /> : null}
      {hosts.value !== undefined && list.length === 0 ? <p class="muted">No VM hosts.</p> : null}
      {list.map((h) => (
        <HostPanel key={h.name} host={h} admin={admin} reload={hosts.reload} />
      ))}
      {admin ? <AddHostForm onAdded={hosts.reload} /> : null}
    </>
  );
}
