// The VM host forms (admins): compose a VM or container on a host, and add a host with a new (or
// existing) LXD project. Sizes are typed as 8G, 512M; the API checks everything and its refusal
// (capacity, LXD's reason) is shown as it is.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../app-context.js';
import { parseSize } from '../format.js';
import { ErrorNote, Section } from '../page-parts.js';
import type { Machine, VmHost } from '../wire-types.js';

export function ComposeForm({ host, onComposed }: { host: VmHost; onComposed: () => void }): JSX.Element {
  const { api } = useApp();
  const name = host.name ?? '';
  const [f, setF] = useState({
    name: '',
    type: 'container',
    cores: '1',
    pinned: '',
    numa: '',
    memory: '256M',
    hugepages: false,
    disk: '1G',
    pool: '',
    nicKind: 'none',
    nicValue: '',
    image: '',
  });
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const id = (field: string): string => `compose-${name}-${field}`;
  const set = (patch: Partial<typeof f>): void => setF({ ...f, ...patch });

  const submit = (e: Event): void => {
    e.preventDefault();
    setError(undefined);
    setDone('');
    const memory = parseSize(f.memory);
    const disk = f.disk.trim() ? parseSize(f.disk) : 0;
    if (memory === null) return setError(new Error(`Memory "${f.memory}" is not a size (like 512M or 8G).`));
    if (disk === null) return setError(new Error(`Disk "${f.disk}" is not a size (like 10G).`));
    const nics =
      f.nicKind === 'none' || !f.nicValue.trim()
        ? []
        : [{ [f.nicKind === 'sriov' ? 'sriov_parent' : f.nicKind === 'bridge' ? 'parent' : 'network']: f.nicValue.trim() }];
    setBusy(true);
    api
      .call<Machine>('VmHostService', 'ComposeVm', {
        host: name,
        name: f.name.trim(),
        type: f.type,
        cores: Number(f.cores) || 0,
        pinned_cpus: f.pinned.trim(),
        numa_node: f.numa.trim() ? Number(f.numa) : 0,
        pin_numa_node: f.numa.trim() !== '',
        memory_bytes: memory,
        hugepages: f.hugepages,
        disk_bytes: disk,
        pool: f.pool.trim(),
        nics,
        image: f.image.trim(),
      })
      .then(
        (m) => {
          setBusy(false);
          setDone(`Composed ${m.hostname ?? ''}: machine ${m.id ?? ''}.`);
          onComposed();
        },
        (err: unknown) => {
          setBusy(false);
          setError(err);
        },
      );
  };

  return (
    <form class="compose" onSubmit={submit} aria-label={`Compose on ${name}`}>
      <h3>Compose on {name}</h3>
      <div class="grid-form">
        <div class="field">
          <label for={id('name')}>Name</label>
          <input id={id('name')} value={f.name} placeholder="generated" onInput={(e) => set({ name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('type')}>Type</label>
          <select id={id('type')} value={f.type} onChange={(e) => set({ type: e.currentTarget.value })}>
            <option value="container">container</option>
            <option value="virtual-machine">virtual machine</option>
          </select>
        </div>
        <div class="field">
          <label for={id('cores')}>Cores</label>
          <input id={id('cores')} inputMode="numeric" value={f.cores} onInput={(e) => set({ cores: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('pinned')}>Pinned CPUs</label>
          <input id={id('pinned')} value={f.pinned} placeholder="0-1" onInput={(e) => set({ pinned: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('numa')}>NUMA node</label>
          <input
            id={id('numa')}
            inputMode="numeric"
            value={f.numa}
            placeholder="any"
            onInput={(e) => set({ numa: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for={id('memory')}>Memory</label>
          <input id={id('memory')} value={f.memory} onInput={(e) => set({ memory: e.currentTarget.value })} />
        </div>
        <div class="field check">
          <input id={id('hugepages')} type="checkbox" checked={f.hugepages} onChange={(e) => set({ hugepages: e.currentTarget.checked })} />
          <label for={id('hugepages')}>Hugepages</label>
        </div>
        <div class="field">
          <label for={id('disk')}>Root disk</label>
          <input id={id('disk')} value={f.disk} onInput={(e) => set({ disk: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('pool')}>Storage pool</label>
          <input id={id('pool')} value={f.pool} placeholder="default" onInput={(e) => set({ pool: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('nic-kind')}>NIC</label>
          <select id={id('nic-kind')} value={f.nicKind} onChange={(e) => set({ nicKind: e.currentTarget.value })}>
            <option value="none">none</option>
            <option value="network">LXD network</option>
            <option value="bridge">bridge</option>
            <option value="sriov">SR-IOV PF</option>
          </select>
        </div>
        <div class="field">
          <label for={id('nic-value')}>NIC network, bridge or PF</label>
          <input id={id('nic-value')} value={f.nicValue} onInput={(e) => set({ nicValue: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('image')}>Image</label>
          <input
            id={id('image')}
            value={f.image}
            placeholder={host.image || 'host default'}
            onInput={(e) => set({ image: e.currentTarget.value })}
          />
        </div>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Composing…' : 'Compose'}
      </button>
      <ErrorNote error={error} />
      {done ? <p role="status">{done}</p> : null}
    </form>
  );
}

export function AddHostForm({ onAdded }: { onAdded: () => void }): JSX.Element {
  const { api } = useApp();
  const [f, setF] = useState({ agent: '', project: '', create: true, cpu: '1', memory: '1', pool: '', zone: '', image: '' });
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const set = (patch: Partial<typeof f>): void => setF({ ...f, ...patch });
  const submit = (e: Event): void => {
    e.preventDefault();
    setError(undefined);
    setDone('');
    api
      .call<VmHost>('VmHostService', 'AddVmHost', {
        agent: f.agent.trim(),
        project: f.project.trim(),
        create_project: f.create,
        cpu_overcommit: Number(f.cpu) || 0,
        memory_overcommit: Number(f.memory) || 0,
        pool: f.pool.trim(),
        zone: f.zone.trim(),
        image: f.image.trim(),
      })
      .then((h) => {
        setDone(`Added ${h.name ?? ''} with project ${h.project ?? ''}.`);
        onAdded();
      }, setError);
  };
  return (
    <Section title="Add a VM host" id="add-host">
      <form onSubmit={submit} aria-label="Add a VM host">
        <div class="grid-form">
          <div class="field">
            <label for="add-agent">Agent (vmhost role)</label>
            <input id="add-agent" value={f.agent} onInput={(e) => set({ agent: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="add-project">LXD project</label>
            <input id="add-project" value={f.project} onInput={(e) => set({ project: e.currentTarget.value })} />
          </div>
          <div class="field check">
            <input id="add-create" type="checkbox" checked={f.create} onChange={(e) => set({ create: e.currentTarget.checked })} />
            <label for="add-create">Create the project</label>
          </div>
          <div class="field">
            <label for="add-cpu">CPU overcommit</label>
            <input id="add-cpu" inputMode="decimal" value={f.cpu} onInput={(e) => set({ cpu: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="add-memory">Memory overcommit</label>
            <input id="add-memory" inputMode="decimal" value={f.memory} onInput={(e) => set({ memory: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="add-pool">Pool</label>
            <input id="add-pool" value={f.pool} placeholder="default" onInput={(e) => set({ pool: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="add-zone">Zone</label>
            <input id="add-zone" value={f.zone} placeholder="default" onInput={(e) => set({ zone: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="add-image">Default image</label>
            <input id="add-image" value={f.image} onInput={(e) => set({ image: e.currentTarget.value })} />
          </div>
        </div>
        <button type="submit">Add host</button>
        <ErrorNote error={error} />
        {done ? <p role="status">{done}</p> : null}
      </form>
    </Section>
  );
}
