// Agents: every agent the user may read with its state, epoch and last heartbeat, and for the one
// chosen (/agents/<name>) its inventory, SR-IOV PFs and VFs, eswitch mode and the smartNIC mode with
// the evidence the agent read it from. Admins create enrollment tokens here.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { abilitiesOf, useApp } from '../app-context.js';
import { bytes, time } from '../format.js';
import { useLiveLoad } from '../live-events.js';
import { DataTable, ErrorNote, Facts, Loading, Section } from '../page-parts.js';
import type { AgentInfo, EnrollmentToken } from '../wire-types.js';

function AgentDetail({ agent }: { agent: AgentInfo }): JSX.Element {
  const inv = agent.inventory;
  const sriov = agent.report?.sriov;
  const nic = sriov?.smart_nic;
  return (
    <Section title={`Agent ${agent.id ?? ''}`} id="agent-detail">
      <div class="columns">
        <div>
          <h3>smartNIC mode</h3>
          <Facts
            rows={[
              ['Mode', nic?.mode ? <strong>{nic.mode}</strong> : 'not reported'],
              ['Next boot', nic?.next_boot_mode],
              ['Read from', nic?.source],
              ['Device', [nic?.vendor, nic?.model, nic?.firmware].filter(Boolean).join(' ')],
              ['Location', nic?.location],
            ]}
          />
          {(nic?.evidence ?? []).length > 0 ? (
            <>
              <h4>Evidence</h4>
              <ul>
                {(nic?.evidence ?? []).map((e) => (
                  <li key={e}>
                    <code>{e}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        <div>
          <h3>Inventory</h3>
          <Facts
            rows={[
              ['Hostname', inv?.hostname],
              ['CPU', `${inv?.cpu_model ?? ''} (${inv?.cores_physical ?? 0} cores, ${inv?.cores_logical ?? 0} threads)`],
              ['Memory', bytes(inv?.memory_bytes)],
              ['OS / kernel', `${inv?.os ?? ''} / ${inv?.kernel ?? ''}`],
              ['OVS', inv?.ovs_version],
              ['Bridges', (inv?.bridges ?? []).join(', ')],
              ['Interfaces', (inv?.interfaces ?? []).map((i) => `${i.name ?? ''} ${i.mac ?? ''} ${i.state ?? ''}`).join('; ')],
            ]}
          />
        </div>
      </div>
      <h3>SR-IOV</h3>
      {(sriov?.pfs ?? []).length === 0 ? (
        <p class="muted">No SR-IOV physical functions reported.</p>
      ) : (
        <DataTable label="SR-IOV physical functions" columns={['PF', 'PCI', 'Driver', 'eswitch mode', 'VFs', 'VF detail']}>
          {(sriov?.pfs ?? []).map((pf) => (
            <tr key={pf.pci_address}>
              <td>{pf.netdev}</td>
              <td>
                <code>{pf.pci_address}</code>
              </td>
              <td>{pf.driver}</td>
              <td>{pf.eswitch_mode || '—'}</td>
              <td>
                {pf.num_vfs ?? 0} of {pf.total_vfs ?? 0}
              </td>
              <td>
                {(pf.vfs ?? [])
                  .map((vf) => `vf${vf.vf ?? 0} ${vf.netdev ?? ''} ${vf.mac ?? ''}${vf.representor ? ` rep ${vf.representor}` : ''}`)
                  .join('; ') || '—'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {(sriov?.problems ?? []).length > 0 ? (
        <ul class="error">
          {(sriov?.problems ?? []).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

function EnrollmentTokenForm(): JSX.Element {
  const { api } = useApp();
  const [form, setForm] = useState({ name: '', role: 'smartnic', ttl: '3600' });
  const [created, setCreated] = useState<EnrollmentToken | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const submit = (e: Event): void => {
    e.preventDefault();
    setError(undefined);
    api
      .call<EnrollmentToken>('AgentAdminService', 'CreateEnrollmentToken', {
        name: form.name.trim(),
        role: form.role,
        ttl_seconds: Number(form.ttl),
      })
      .then(setCreated, setError);
  };
  return (
    <Section title="Enrollment tokens" id="enrollment">
      <form class="inline-form" onSubmit={submit} aria-label="Create an enrollment token">
        <div class="field">
          <label for="enroll-name">Agent name</label>
          <input id="enroll-name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="enroll-role">Role</label>
          <select id="enroll-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            <option value="smartnic">smartnic</option>
            <option value="vmhost">vmhost</option>
          </select>
        </div>
        <div class="field">
          <label for="enroll-ttl">Valid for (seconds)</label>
          <input id="enroll-ttl" inputMode="numeric" value={form.ttl} onInput={(e) => setForm({ ...form, ttl: e.currentTarget.value })} />
        </div>
        <button type="submit">Create token</button>
      </form>
      <ErrorNote error={error} />
      {created ? (
        <p role="status">
          Token for {created.name} ({created.role}), valid until {time(created.expires_at)}. Shown once:{' '}
          <code class="secret">{created.token}</code>
        </p>
      ) : null}
    </Section>
  );
}

export function AgentsPage(): JSX.Element {
  const { api, live, session } = useApp();
  const { params } = useRoute();
  const chosen = params['name'];
  const agents = useLiveLoad(
    live,
    () => api.call<{ agents?: AgentInfo[] }>('AgentAdminService', 'ListAgents', {}),
    (e) => (e.kind ?? '').startsWith('agent.'),
    [],
  );
  const list = agents.value?.agents ?? [];
  const detail = list.find((a) => a.id === chosen);
  return (
    <>
      <h1>Agents</h1>
      <ErrorNote error={agents.error} />
      {agents.value === undefined && !agents.error ? (
        <Loading what="agents" />
      ) : (
        <DataTable
          label="Agents table"
          columns={['Agent', 'Role', 'State', 'Epoch', 'Last heartbeat', 'Version', 'smartNIC mode', 'eswitch']}
        >
          {list.map((a) => (
            <tr key={a.id} data-agent={a.id}>
              <td>
                <a href={`/agents/${encodeURIComponent(a.id ?? '')}`} aria-current={a.id === chosen ? 'true' : undefined}>
                  {a.id}
                </a>
              </td>
              <td>{a.role}</td>
              <td>
                <span class={`badge agent-${(a.state ?? '').toLowerCase()}`}>{a.state}</span>
                {a.revoked ? ' (revoked)' : ''}
              </td>
              <td>{String(a.epoch ?? 0)}</td>
              <td>{time(a.last_heartbeat_at)}</td>
              <td>{a.version}</td>
              <td>{a.report?.sriov?.smart_nic?.mode || '—'}</td>
              <td>{[...new Set((a.report?.sriov?.pfs ?? []).map((p) => p.eswitch_mode).filter(Boolean))].join(', ') || '—'}</td>
            </tr>
          ))}
          {list.length === 0 ? (
            <tr>
              <td colSpan={8} class="muted">
                No agents.
              </td>
            </tr>
          ) : null}
        </DataTable>
      )}
      {detail ? <AgentDetail agent={detail} /> : chosen && agents.value ? <p role="alert">No agent {chosen}.</p> : null}
      {abilitiesOf(session).admin ? <EnrollmentTokenForm /> : null}
    </>
  );
}
