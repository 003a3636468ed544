// Tenancy (admins): users and their roles, groups and members, API tokens (created, listed,
// revoked) and pools with their reservation rule (machines enlisted into the pool are reserved for
// a user or group). A token's secret is shown once, when it is created.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../app-context.js';
import { holderText, roleName, time } from '../format.js';
import { useLiveLoad } from '../live-events.js';
import { DataTable, ErrorNote, Loading, Section } from '../page-parts.js';
import type { CreateTokenResponse, Group, Pool, Token, User } from '../wire-types.js';

function useAction(): { error: unknown; done: string; run: (what: string, call: () => Promise<unknown>) => void } {
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const run = (what: string, call: () => Promise<unknown>): void => {
    setError(undefined);
    setDone('');
    call().then(
      () => setDone(`${what}: done`),
      (e: unknown) => setError(e),
    );
  };
  return { error, done, run };
}

function Outcome({ error, done }: { error: unknown; done: string }): JSX.Element {
  return (
    <>
      <ErrorNote error={error} />
      {done ? <p role="status">{done}</p> : null}
    </>
  );
}

function Users({ users }: { users: readonly User[] }): JSX.Element {
  const { api } = useApp();
  const action = useAction();
  const [form, setForm] = useState({ name: '', role: 'ROLE_MEMBER' });
  return (
    <Section title="Users">
      <DataTable label="Users table" columns={['User', 'Role', 'Groups', 'Created']}>
        {users.map((u) => (
          <tr key={u.name}>
            <td>{u.name}</td>
            <td>{roleName(u.role)}</td>
            <td>{(u.groups ?? []).join(', ')}</td>
            <td>{time(u.created_at)}</td>
          </tr>
        ))}
      </DataTable>
      <form
        class="inline-form"
        aria-label="Create a user"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(`create user ${form.name}`, () =>
            api.call('TenancyService', 'CreateUser', { name: form.name.trim(), role: form.role }),
          );
        }}
      >
        <div class="field">
          <label for="user-name">New user</label>
          <input id="user-name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="user-role">Role</label>
          <select id="user-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            <option value="ROLE_MEMBER">member</option>
            <option value="ROLE_OBSERVER">observer</option>
            <option value="ROLE_ADMIN">admin</option>
          </select>
        </div>
        <button type="submit">Create user</button>
      </form>
      <Outcome {...action} />
    </Section>
  );
}

function Groups({ groups }: { groups: readonly Group[] }): JSX.Element {
  const { api } = useApp();
  const action = useAction();
  const [name, setName] = useState('');
  const [member, setMember] = useState({ group: '', user: '' });
  return (
    <Section title="Groups">
      <ul class="plain">
        {groups.map((g) => (
          <li key={g.name}>
            <strong>{g.name}</strong>: {(g.members ?? []).join(', ') || <span class="muted">no members</span>}
          </li>
        ))}
        {groups.length === 0 ? <li class="muted">No groups.</li> : null}
      </ul>
      <form
        class="inline-form"
        aria-label="Create a group"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(`create group ${name}`, () => api.call('TenancyService', 'CreateGroup', { name: name.trim() }));
        }}
      >
        <div class="field">
          <label for="group-name">New group</label>
          <input id="group-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <button type="submit">Create group</button>
      </form>
      <form
        class="inline-form"
        aria-label="Add a group member"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(`add ${member.user} to ${member.group}`, () =>
            api.call('TenancyService', 'AddGroupMember', { group: member.group.trim(), user: member.user.trim() }),
          );
        }}
      >
        <div class="field">
          <label for="member-group">Group</label>
          <input id="member-group" value={member.group} onInput={(e) => setMember({ ...member, group: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="member-user">User</label>
          <input id="member-user" value={member.user} onInput={(e) => setMember({ ...member, user: e.currentTarget.value })} />
        </div>
        <button type="submit" class="secondary">
          Add member
        </button>
      </form>
      <Outcome {...action} />
    </Section>
  );
}

function Tokens({ users }: { users: readonly User[] }): JSX.Element {
  const { api, live, session } = useApp();
  const [user, setUser] = useState(session.user.name);
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<CreateTokenResponse | null>(null);
  const action = useAction();
  const tokens = useLiveLoad(
    live,
    () => api.call<{ tokens?: Token[] }>('TenancyService', 'ListTokens', { user }),
    (e) => (e.kind ?? '').startsWith('token.'),
    [user],
  );
  return (
    <Section title="API tokens">
      <div class="field">
        <label for="tokens-user">Tokens of</label>
        <select id="tokens-user" value={user} onChange={(e) => setUser(e.currentTarget.value)}>
          {users.map((u) => (
            <option key={u.name} value={u.name}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={tokens.error} />
      <DataTable label="API tokens table" columns={['Id', 'Description', 'Created', 'Expires', 'Revoked', 'Actions']}>
        {(tokens.value?.tokens ?? []).map((t) => (
          <tr key={t.id}>
            <td>
              <code>{t.id}</code>
            </td>
            <td>{t.description}</td>
            <td>{time(t.created_at)}</td>
            <td>{t.expires_at ? time(t.expires_at) : 'never'}</td>
            <td>{t.revoked_at ? time(t.revoked_at) : '—'}</td>
            <td>
              {t.revoked_at ? null : (
                <button
                  type="button"
                  class="danger"
                  aria-label={`Revoke token ${t.id ?? ''}`}
                  onClick={() => action.run(`revoke ${t.id ?? ''}`, () => api.call('TenancyService', 'RevokeToken', { id: t.id }))}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <form
        class="inline-form"
        aria-label="Create a token"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(`create a token for ${user}`, () =>
            api.call<CreateTokenResponse>('TenancyService', 'CreateToken', { user, description: description.trim() }).then(setSecret),
          );
        }}
      >
        <div class="field">
          <label for="token-description">Description</label>
          <input id="token-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <button type="submit">Create token for {user}</button>
      </form>
      {secret ? (
        <p role="status">
          Token {secret.token?.id} for {secret.token?.user}. Shown once: <code class="secret">{secret.secret}</code>
        </p>
      ) : null}
      <Outcome {...action} />
    </Section>
  );
}

function Pools({ pools }: { pools: readonly Pool[] }): JSX.Element {
  const { api } = useApp();
  const action = useAction();
  const [form, setForm] = useState({ name: '', description: '', kind: 'user', holder: '' });
  const holder = form.holder.trim() ? { [form.kind]: form.holder.trim() } : undefined;
  return (
    <Section title="Pools and reservation rules">
      <DataTable label="Pools table" columns={['Pool', 'Description', 'Machines enlisted here are reserved for', 'Actions']}>
        {pools.map((p) => (
          <tr key={p.name}>
            <td>{p.name}</td>
            <td>{p.description}</td>
            <td>{holderText(p.auto_reserve_for) || <span class="muted">nobody</span>}</td>
            <td>
              <button
                type="button"
                class="danger"
                aria-label={`Delete pool ${p.name ?? ''}`}
                onClick={() => action.run(`delete pool ${p.name ?? ''}`, () => api.call('PoolService', 'DeletePool', { name: p.name }))}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <form class="inline-form" aria-label="Create a pool or set its reservation" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="pool-name">Pool</label>
          <input id="pool-name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="pool-description">Description</label>
          <input id="pool-description" value={form.description} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="pool-kind">Reserve for</label>
          <select id="pool-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value })}>
            <option value="user">user</option>
            <option value="group">group</option>
          </select>
        </div>
        <div class="field">
          <label for="pool-holder">Name (empty: nobody)</label>
          <input id="pool-holder" value={form.holder} onInput={(e) => setForm({ ...form, holder: e.currentTarget.value })} />
        </div>
        <button
          type="button"
          onClick={() =>
            action.run(`create pool ${form.name}`, () =>
              api.call('PoolService', 'CreatePool', { name: form.name.trim(), description: form.description, auto_reserve_for: holder }),
            )
          }
        >
          Create pool
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            action.run(`set the reservation of ${form.name}`, () =>
              api.call('PoolService', 'SetPoolReservation', { name: form.name.trim(), auto_reserve_for: holder }),
            )
          }
        >
          Set reservation
        </button>
      </form>
      <Outcome {...action} />
    </Section>
  );
}

export function TenancyPage(): JSX.Element {
  const { api, live } = useApp();
  const data = useLiveLoad(
    live,
    async () => {
      const [users, groups, pools] = await Promise.all([
        api.call<{ users?: User[] }>('TenancyService', 'ListUsers', {}),
        api.call<{ groups?: Group[] }>('TenancyService', 'ListGroups', {}),
        api.call<{ pools?: Pool[] }>('PoolService', 'ListPools', {}),
      ]);
      return { users: users.users ?? [], groups: groups.groups ?? [], pools: pools.pools ?? [] };
    },
    (e) => /^(user|group|token|pool)\./.test(e.kind ?? ''),
    [],
  );
  return (
    <>
      <h1>Tenancy</h1>
      <ErrorNote error={data.error} />
      {data.value === undefined ? (
        data.error ? null : (
          <Loading what="tenancy" />
        )
      ) : (
        <>
          <Users users={data.value.users} />
          <Groups groups={data.value.groups} />
          <Tokens users={data.value.users} />
          <Pools pools={data.value.pools} />
        </>
      )}
    </>
  );
}
