// One machine: its facts (as enlisted and as the BMC reported them), its ports with the smartNIC
// side of each, the event timeline, the live step view of a running sequence, and the actions the
// user's role allows. Everything reloads from the event stream when an event names this machine.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError } from '../api-client.js';
import { abilitiesOf, useApp } from '../app-context.js';
import { bytes, enumName, holderText, powerName, statusName, time } from '../format.js';
import { useLiveLoad } from '../live-events.js';
import { DataTable, ErrorNote, Facts, Loading, Section, StatusBadge } from '../page-parts.js';
import type { AgentInfo, Machine, MooringEvent, PortInfo, Sequence } from '../wire-types.js';
import { DeploySteps } from './deploy-steps.js';
import { MachineActions } from './machine-actions.js';

interface PortNetwork {
  port?: string;
  mac?: string;
  network?: string;
  ip?: string;
  ovn_state?: string;
  ovn_chassis?: string;
  ovn_error?: string;
}

interface MachineView {
  machine: Machine;
  ports: PortInfo[];
  networks: PortNetwork[];
  agents: Map<string, AgentInfo>;
  sequence: Sequence | null;
}

/** A call whose NOT_FOUND / PERMISSION_DENIED means "nothing to show", not a failure of the page. */
async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && ['NOT_FOUND', 'PERMISSION_DENIED', 'FAILED_PRECONDITION', 'UNIMPLEMENTED'].includes(error.code))
      return null;
    throw error;
  }
}

function networkText(net: PortNetwork): string {
  const ip = net.ip ? ` ${net.ip}` : '';
  const error = net.ovn_error ? ` (${net.ovn_error})` : '';
  return `${net.network ?? ''}${ip}: ${net.ovn_state || 'unknown'}${error}`;
}

function Ports({ view }: { view: MachineView }): JSX.Element {
  const rows = view.machine.ports ?? [];
  if (rows.length === 0) return <p class="muted">No ports enlisted.</p>;
  return (
    <DataTable label="Ports table" columns={['MAC', 'smartNIC agent', 'Representor', 'Mode (evidence)', 'Bound', 'Network / OVN']}>
      {rows.map((p) => {
        const info = view.ports.find((i) => i.port?.mac === p.mac);
        const agent = view.agents.get(p.smart_nic_agent_id ?? '');
        const nic = agent?.report?.sriov?.smart_nic;
        const bound = agent?.report?.ports?.find((r) => r.spec?.name === p.smart_nic_port_id);
        const net = view.networks.find((n) => n.mac === p.mac);
        return (
          <tr key={p.mac}>
            <td>
              <code>{p.mac}</code>
            </td>
            <td>
              {p.is_smart_nic ? <a href={`/agents/${encodeURIComponent(p.smart_nic_agent_id ?? '')}`}>{p.smart_nic_agent_id}</a> : '—'}
            </td>
            <td>{p.smart_nic_port_id || '—'}</td>
            <td>
              {p.is_smart_nic ? (
                <>
                  <strong>{info?.smart_nic_mode || nic?.mode || 'unknown'}</strong>
                  {(nic?.evidence ?? []).length > 0 ? <span class="muted"> ({(nic?.evidence ?? []).join('; ')})</span> : null}
                </>
              ) : (
                'plain NIC'
              )}
            </td>
            <td>{bound ? `${bound.state ?? 'bound'}${bound.error ? `: ${bound.error}` : ''}` : p.is_smart_nic ? 'not bound' : '—'}</td>
            <td>{net?.network ? networkText(net) : '—'}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function Timeline({ events }: { events: readonly MooringEvent[] }): JSX.Element {
  if (events.length === 0) return <p class="muted">No events.</p>;
  return (
    // Its own scrolling box, reachable by keyboard (a long history must not hide the rest of the page).
    <div class="timeline-box" tabIndex={0} role="region" aria-label="Event timeline, newest first">
      <ol class="timeline" data-testid="timeline">
        {[...events].reverse().map((e) => (
          <li key={String(e.seq)}>
            <time dateTime={e.time}>{time(e.time)}</time> <strong>{e.kind}</strong>
            {e.from_status || e.to_status ? ` ${e.from_status ?? ''} → ${e.to_status ?? ''}` : ''}
            {e.why ? `: ${e.why}` : ''} <span class="muted">by {e.actor || 'system'}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function MachinePage(): JSX.Element {
  const { api, live, session } = useApp();
  const { params } = useRoute();
  const id = params['id'] ?? '';
  const can = abilitiesOf(session);
  const mine = (e: MooringEvent): boolean => e.machine_id === id || (e.kind ?? '').startsWith('agent.');

  const view = useLiveLoad(
    live,
    async (): Promise<MachineView> => {
      // All five at once (each names the machine as the route does): waiting for GetMachine before
      // asking the rest cost the page a round trip to first content (npm run bench:console).
      const asked = api.call<Machine>('MachineService', 'GetMachine', { machine: id });
      const rest = Promise.all([
        optional(api.call<{ ports?: PortInfo[] }>('PortService', 'ListPorts', { machine: id })),
        optional(api.call<{ ports?: PortNetwork[] }>('DeploymentService', 'GetMachineNetworks', { machine: id })),
        optional(api.call<{ agents?: AgentInfo[] }>('AgentAdminService', 'ListAgents', {})),
        optional(api.call<Sequence>('DeploymentService', 'GetSequence', { machine: id })),
      ]);
      // When GetMachine fails, its error is the page's; the others' go unread.
      rest.catch(() => undefined);
      const machine = await asked;
      const [ports, networks, agents, sequence] = await rest;
      return {
        machine,
        ports: ports?.ports ?? [],
        networks: networks?.ports ?? [],
        agents: new Map((agents?.agents ?? []).map((a) => [a.id ?? '', a])),
        sequence,
      };
    },
    mine,
    [id],
  );

  // The timeline: loaded once, then appended from the stream (no reload per event).
  const [events, setEvents] = useState<MooringEvent[]>([]);
  const [eventsError, setEventsError] = useState<unknown>(undefined);
  useEffect(() => {
    setEvents([]);
    let seen = new Set<string>();
    const add = (more: readonly MooringEvent[]): void =>
      setEvents((old) => {
        const fresh = more.filter((e) => !seen.has(String(e.seq)));
        if (fresh.length === 0) return old;
        seen = new Set([...seen, ...fresh.map((e) => String(e.seq))]);
        return [...old, ...fresh].sort((a, b) => Number(a.seq) - Number(b.seq));
      });
    const off = live.subscribe((e) => {
      if (e.machine_id === id) add([e]);
    });
    api
      .call<{ events?: MooringEvent[] }>('EventService', 'ListEvents', { machine: id, limit: 1000 })
      .then((r) => add(r.events ?? []), setEventsError);
    return off;
  }, [id]);

  const machine = view.value?.machine;
  const hw = machine?.hardware;
  const title = useMemo(() => machine?.hostname ?? id, [machine, id]);
  if (view.value === undefined)
    return (
      <>
        <h1>Machine {id}</h1>
        {view.error ? <ErrorNote error={view.error} /> : <Loading what="the machine" />}
      </>
    );
  const m = view.value.machine;
  return (
    <>
      <h1>
        {title} <StatusBadge status={statusName(m.status)} />
      </h1>
      <ErrorNote error={view.error} />
      {can.write ? <MachineActions machine={m} can={can} user={session.user.name} /> : null}
      <Section title="Deployment steps" id="steps">
        <DeploySteps machine={m} events={events} running={view.value.sequence} />
        {view.value.sequence === null && !events.some((e) => e.kind === 'sequence.started') ? (
          <p class="muted">No deployment has run.</p>
        ) : null}
      </Section>
      <div class="columns">
        <Section title="Machine">
          <Facts
            rows={[
              ['Id', <code>{m.id}</code>],
              ['Status reason', m.status_reason],
              ['Owner', m.owner || 'free'],
              ['Reserved for', holderText(m.reserved_for)],
              ['Pool / zone', `${m.pool || '—'} / ${m.zone || '—'}`],
              ['Arch', m.arch],
              ['Cores', String(m.cores ?? 0)],
              ['Memory', bytes(Number(m.memory_mib ?? 0) * 1024 * 1024)],
              ['Tags', (m.tags ?? []).join(', ')],
              [
                'Power',
                `${powerName(m.power_state)} (${enumName(m.power?.driver, 'POWER_DRIVER_').toLowerCase()} ${m.power?.address ?? ''})`,
              ],
              [
                'Annotations',
                Object.entries(m.annotations ?? {})
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', '),
              ],
              ['Updated', time(m.updated_at)],
            ]}
          />
        </Section>
        <Section title="Hardware">
          {hw ? (
            <Facts
              rows={[
                ['Source', enumName(hw.source, 'HARDWARE_SOURCE_')],
                ['Gathered', time(hw.gathered_at)],
                ['Manufacturer', hw.manufacturer],
                ['Model', hw.model],
                ['Serial', hw.serial],
                ['Cores / threads', `${hw.cores ?? 0} / ${hw.threads ?? 0}`],
                ['Memory', bytes(Number(hw.memory_mib ?? 0) * 1024 * 1024)],
                ['NICs', (hw.nics ?? []).map((n) => `${n.name ?? ''} ${n.mac ?? ''} ${n.speed_mbps ?? 0} Mb/s`).join('; ')],
                ['Disks', (hw.disks ?? []).map((d) => `${d.name ?? ''} ${bytes(d.size_bytes)} ${d.model ?? ''}`).join('; ')],
                ['BMC MAC', hw.bmc_mac],
              ]}
            />
          ) : (
            <p class="muted">No hardware facts yet: commissioning reads them from the BMC.</p>
          )}
        </Section>
      </div>
      <Section title="Ports">
        <Ports view={view.value} />
      </Section>
      <Section title="Events">
        <ErrorNote error={eventsError} />
        <Timeline events={events} />
      </Section>
    </>
  );
}
