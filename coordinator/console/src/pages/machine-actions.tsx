// The actions on one machine that the user's role allows: allocate, deploy, release, power,
// annotate (admins and members), reserve and unreserve (admins). Which ones fit the machine's
// status is a hint only: the API decides, and its refusal is shown as it is.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Abilities } from '../app-context.js';
import { useApp } from '../app-context.js';
import { statusName } from '../format.js';
import { ErrorNote } from '../page-parts.js';
import type { Machine } from '../wire-types.js';

export function MachineActions({ machine, can, user }: { machine: Machine; can: Abilities; user: string }): JSX.Element {
  const { api } = useApp();
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [annotation, setAnnotation] = useState({ key: '', value: '' });
  const [holder, setHolder] = useState({ kind: 'user', name: '' });
  const id = machine.id ?? '';
  const status = statusName(machine.status);
  const held = machine.owner === user || can.admin;

  const act = (what: string, call: () => Promise<unknown>): void => {
    setBusy(true);
    setError(undefined);
    setDone('');
    call().then(
      () => {
        setBusy(false);
        setDone(`${what}: done`);
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  const power = (action: 'ON' | 'OFF' | 'CYCLE'): void =>
    act(`power ${action.toLowerCase()}`, () =>
      api.call('MachineService', 'PowerMachine', { machine: id, action: `POWER_ACTION_${action}` }),
    );

  return (
    <section class="panel actions" aria-labelledby="h-actions">
      <h2 id="h-actions">Actions</h2>
      <div class="buttons">
        {status === 'READY' && !machine.owner ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              act('allocate', () => api.call('MachineService', 'AllocateMachine', { constraints: { name: machine.hostname ?? id } }))
            }
          >
            Allocate
          </button>
        ) : null}
        {status === 'ALLOCATED' && held ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => act('deploy', () => api.call('DeploymentService', 'DeployMachine', { machine: id }))}
          >
            Deploy
          </button>
        ) : null}
        {['ALLOCATED', 'DEPLOYED', 'FAILED_DEPLOYMENT'].includes(status) && held ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              act('release', () => api.call('MachineService', 'ReleaseMachine', { machine: id, reason: 'released from the console' }))
            }
          >
            Release
          </button>
        ) : null}
        <button type="button" class="secondary" disabled={busy} onClick={() => power('ON')}>
          Power on
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => power('OFF')}>
          Power off
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => power('CYCLE')}>
          Power cycle
        </button>
      </div>
      <form
        class="inline-form"
        aria-label="Annotate"
        onSubmit={(e) => {
          e.preventDefault();
          act('annotate', () =>
            api.call('MachineService', 'AnnotateMachine', { machine: id, set: { [annotation.key]: annotation.value } }),
          );
        }}
      >
        <div class="field">
          <label for="annotation-key">Annotation key</label>
          <input id="annotation-key" value={annotation.key} onInput={(e) => setAnnotation({ ...annotation, key: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="annotation-value">Value</label>
          <input
            id="annotation-value"
            value={annotation.value}
            onInput={(e) => setAnnotation({ ...annotation, value: e.currentTarget.value })}
          />
        </div>
        <button type="submit" class="secondary" disabled={busy}>
          Annotate
        </button>
      </form>
      {can.admin ? (
        <form
          class="inline-form"
          aria-label="Reserve"
          onSubmit={(e) => {
            e.preventDefault();
            act('reserve', () =>
              api.call('MachineService', 'ReserveMachine', { machine: id, holder: { [holder.kind]: holder.name.trim() } }),
            );
          }}
        >
          <div class="field">
            <label for="reserve-kind">Reserve for</label>
            <select id="reserve-kind" value={holder.kind} onChange={(e) => setHolder({ ...holder, kind: e.currentTarget.value })}>
              <option value="user">user</option>
              <option value="group">group</option>
            </select>
          </div>
          <div class="field">
            <label for="reserve-name">Name</label>
            <input id="reserve-name" value={holder.name} onInput={(e) => setHolder({ ...holder, name: e.currentTarget.value })} />
          </div>
          <button type="submit" class="secondary" disabled={busy}>
            Reserve
          </button>
          {machine.reserved_for?.user || machine.reserved_for?.group ? (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => act('unreserve', () => api.call('MachineService', 'UnreserveMachine', { machine: id }))}
            >
              Unreserve
            </button>
          ) : null}
        </form>
      ) : null}
      <ErrorNote error={error} />
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
