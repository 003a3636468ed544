// Machines: the fleet a user may see, a page at a time with the API's page tokens (so it works at
// any fleet size), every filter applied by the API (ListMachines), and the counts per status of
// all the user may see from the same call. The filters live in the URL, so a filtered view can be
// bookmarked and survives a reload.
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useApp } from '../app-context.js';
import { MACHINE_STATUSES, holderText, powerName, statusName } from '../format.js';
import { useLiveLoad } from '../live-events.js';
import { DataTable, ErrorNote, Loading, StatusBadge } from '../page-parts.js';
import type { AgentInfo, Machine, MooringEvent } from '../wire-types.js';

const PAGE_SIZE = 50;

interface ListReply {
  machines?: Machine[];
  next_page_token?: string;
  status_counts?: { status?: string; count?: number }[];
}

interface Filters {
  status: string;
  pool: string;
  zone: string;
  tags: string;
  owner: string;
  reserved: string;
}

const FILTER_KEYS: readonly (keyof Filters)[] = ['status', 'pool', 'zone', 'tags', 'owner', 'reserved'];

function filtersFrom(query: Record<string, string>): Filters {
  return {
    status: query['status'] ?? '',
    pool: query['pool'] ?? '',
    zone: query['zone'] ?? '',
    tags: query['tags'] ?? '',
    owner: query['owner'] ?? '',
    reserved: query['reserved'] ?? '',
  };
}

/** The tags field ("gpu, nvme") as the API's list. */
function tagList(tags: string): string[] {
  return tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

const machineEvent = (e: MooringEvent): boolean =>
  Boolean(e.machine_id) || (e.kind ?? '').startsWith('machine.') || (e.kind ?? '').startsWith('pool.');

/** Agent name -> the smartNIC mode it reports (dpu, nic, ...). */
function smartNicModes(agents: readonly AgentInfo[] | undefined): Map<string, string> {
  const modes = new Map<string, string>();
  for (const a of agents ?? []) modes.set(a.id ?? '', a.report?.sriov?.smart_nic?.mode ?? '');
  return modes;
}

function PortModes({ machine, modes }: { machine: Machine; modes: Map<string, string> }): JSX.Element {
  const smart = (machine.ports ?? []).filter((p) => p.is_smart_nic);
  if (smart.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="plain">
      {smart.map((p) => (
        <li key={p.mac}>
          {p.smart_nic_port_id} on {p.smart_nic_agent_id}: <strong>{modes.get(p.smart_nic_agent_id ?? '') || 'unknown'}</strong>
        </li>
      ))}
    </ul>
  );
}

export function MachinesPage(): JSX.Element {
  const { api, live } = useApp();
  const location = useLocation();
  const filters = filtersFrom(location.query);
  // Page tokens of the pages before this one, so "Previous" goes back without the API keeping state.
  const [pages, setPages] = useState<string[]>(['']);
  const pageToken = pages[pages.length - 1] ?? '';
  const [draft, setDraft] = useState<Filters>(filters);
  const query = FILTER_KEYS.map((k) => filters[k]).join('|');

  const list = useLiveLoad(
    live,
    () =>
      api.call<ListReply>('MachineService', 'ListMachines', {
        status: filters.status ? `MACHINE_STATUS_${filters.status}` : 'MACHINE_STATUS_UNSPECIFIED',
        pool: filters.pool,
        owner: filters.owner,
        zone: filters.zone,
        tags: tagList(filters.tags),
        reserved_for: filters.reserved,
        with_status_counts: true,
        page_size: PAGE_SIZE,
        page_token: pageToken,
      }),
    machineEvent,
    [query, pageToken],
  );
  const agents = useLiveLoad(
    live,
    () => api.call<{ agents?: AgentInfo[] }>('AgentAdminService', 'ListAgents', {}),
    (e) => (e.kind ?? '').startsWith('agent.'),
    [],
  );
  const modes = useMemo(() => smartNicModes(agents.value?.agents), [agents.value]);
  const machines = list.value?.machines ?? [];
  const counts = (list.value?.status_counts ?? []).map((c) => ({ status: statusName(c.status), count: c.count ?? 0 }));
  const total = counts.reduce((sum, c) => sum + c.count, 0);

  const apply = (e: Event): void => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) if (draft[k].trim()) params.set(k, draft[k].trim());
    setPages(['']);
    const qs = params.toString();
    location.route(qs ? `/machines?${qs}` : '/machines');
  };
  const clear = (): void => {
    setDraft(filtersFrom({}));
    setPages(['']);
    location.route('/machines');
  };
  const field = (key: keyof Filters, label: string, hint?: string): JSX.Element => (
    <div class="field">
      <label for={`f-${key}`}>{label}</label>
      <input id={`f-${key}`} value={draft[key]} placeholder={hint} onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} />
    </div>
  );

  return (
    <>
      <h1>Machines</h1>
      <form class="filters panel" onSubmit={apply} aria-label="Filter machines">
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}>
            <option value="">any</option>
            {MACHINE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {field('pool', 'Pool')}
        {field('zone', 'Zone')}
        {field('tags', 'Tags', 'gpu,nvme')}
        {field('owner', 'Owner')}
        {field('reserved', 'Reserved for', 'user:NAME, group:NAME or NAME; - for none')}
        <div class="buttons">
          <button type="submit">Apply filters</button>
          <button type="button" class="secondary" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={list.error} />
      <section aria-label="Counts per status" class="counts">
        <h2 class="sr-only">Counts per status</h2>
        <ul class="plain inline" data-testid="status-counts">
          {counts.map(({ status, count }) => (
            <li key={status}>
              <StatusBadge status={status} /> {count}
            </li>
          ))}
          <li class="muted">
            of {total} you can see; {machines.length} on this page
          </li>
        </ul>
      </section>
      {list.value === undefined && list.error === undefined ? (
        <Loading what="machines" />
      ) : (
        <DataTable
          label="Machines table"
          columns={['Hostname', 'Status', 'Power', 'Owner', 'Reserved for', 'Pool / zone', 'Tags', 'smartNIC ports (mode)']}
          tableClass="machines"
        >
          {machines.map((m) => (
            <tr key={m.id} data-machine={m.hostname}>
              <td>
                <a href={`/machines/${encodeURIComponent(m.id ?? '')}`}>{m.hostname}</a>
              </td>
              <td>
                <StatusBadge status={statusName(m.status)} />
              </td>
              <td>{powerName(m.power_state)}</td>
              <td>{m.owner || <span class="muted">free</span>}</td>
              <td>{holderText(m.reserved_for) || <span class="muted">—</span>}</td>
              <td>
                {m.pool || '—'} / {m.zone || '—'}
              </td>
              <td>{(m.tags ?? []).join(', ')}</td>
              <td>
                <PortModes machine={m} modes={modes} />
              </td>
            </tr>
          ))}
          {machines.length === 0 ? (
            <tr>
              <td colSpan={8} class="muted">
                No machines match.
              </td>
            </tr>
          ) : null}
        </DataTable>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="secondary" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {pages.length}</span>
        <button
          type="button"
          class="secondary"
          disabled={!list.value?.next_page_token}
          onClick={() => setPages([...pages, list.value?.next_page_token ?? ''])}
        >
          Next page
        </button>
      </nav>
    </>
  );
}
