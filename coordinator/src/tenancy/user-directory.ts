// Users and groups. A user record lists its groups and a group record its members; both change in
// the same transaction so the two never disagree.
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Holder, Machine } from '../machines/machine.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from './access.js';
import { AlreadyExistsError, NotFoundError, OwnUserChangeError, UserInUseError } from './errors.js';
import type { Group, Principal, Role, User } from './user.js';

export interface UserDirectoryDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
}

export class UserDirectory {
  constructor(private readonly deps: UserDirectoryDeps) {}

  getUser(name: string): User | undefined {
    return this.deps.store.tables.users.get(name) as User | undefined;
  }

  getGroup(name: string): Group | undefined {
    return this.deps.store.tables.groups.get(name) as Group | undefined;
  }

  isEmpty(): boolean {
    return this.deps.store.tables.users.getKeysCount({ limit: 1 }) === 0;
  }

  listUsers(): User[] {
    return [...this.deps.store.tables.users.getRange({})].map(({ value }) => value as User);
  }

  listGroups(): Group[] {
    return [...this.deps.store.tables.groups.getRange({})].map(({ value }) => value as Group);
  }

  async createUser(actor: Principal, name: string, role: Role): Promise<User> {
    requireAdmin(actor, 'create users');
    return this.deps.store.write((scope) => {
      if (this.getUser(name)) throw new AlreadyExistsError('user', name);
      const user: User = { name, role, groups: [], createdAt: this.deps.clock.now() };
      this.deps.store.tables.users.putSync(name, user);
      this.deps.events.append(scope, { actor: actor.user, kind: 'user.created', why: `role ${role}`, details: { user: name } });
      return user;
    });
  }

  async createGroup(actor: Principal, name: string): Promise<Group> {
    requireAdmin(actor, 'create groups');
    return this.deps.store.write((scope) => {
      if (this.getGroup(name)) throw new AlreadyExistsError('group', name);
      const group: Group = { name, members: [], createdAt: this.deps.clock.now() };
      this.deps.store.tables.groups.putSync(name, group);
      this.deps.events.append(scope, { actor: actor.user, kind: 'group.created', why: '', details: { group: name } });
      return group;
    });
  }

  /** Changes a user's role; its tokens act with the new role from the next call. Never one's own. */
  async setRole(actor: Principal, name: string, role: Role): Promise<User> {
    requireAdmin(actor, 'change roles');
    if (name === actor.user) throw new OwnUserChangeError(name, 'change your own role');
    return this.deps.store.write((scope) => {
      const user = this.getUser(name);
      if (!user) throw new NotFoundError('user', name);
      if (user.role === role) return user;
      const updated: User = { ...user, role };
      this.deps.store.tables.users.putSync(name, updated);
      this.deps.events.append(scope, { actor: actor.user, kind: 'user.role-set', why: `${user.role} -> ${role}`, details: { user: name } });
      return updated;
    });
  }

  /**
   * Deletes a user that owns no machine and holds no reservation (machine or pool rule): those
   * would point at nobody. It leaves its groups, and its tokens are deleted with it, so a user
   * created later under the same name does not inherit them. Never one's own user.
   */
  async deleteUser(actor: Principal, name: string): Promise<void> {
    requireAdmin(actor, 'delete users');
    if (name === actor.user) throw new OwnUserChangeError(name, 'delete your own user');
    await this.deps.store.write((scope) => {
      const user = this.getUser(name);
      if (!user) throw new NotFoundError('user', name);
      const { tables } = this.deps.store;
      const heldBy = (holder: Holder | null): boolean => holder?.kind === 'user' && holder.name === name;
      // A rare admin action: scanning machines and pools is acceptable here (as pool delete does).
      let owned = 0;
      let reserved = 0;
      for (const { value } of tables.machines.getRange({})) {
        const machine = value as Machine;
        if (machine.owner === name) owned++;
        else if (heldBy(machine.reservedFor)) reserved++;
      }
      const pools = [...tables.pools.getRange({})].filter(({ value }) =>
        heldBy((value as { autoReserveFor: Holder | null }).autoReserveFor),
      );
      if (owned > 0 || reserved > 0 || pools.length > 0) {
        throw new UserInUseError(
          name,
          owned,
          reserved,
          pools.map(({ key }) => String(key)),
        );
      }
      for (const groupName of user.groups) {
        const group = this.getGroup(groupName);
        if (group) tables.groups.putSync(groupName, { ...group, members: group.members.filter((m) => m !== name) });
      }
      for (const { key, value } of tables.tokens.getRange({})) {
        if ((value as { user: string }).user === name) tables.tokens.removeSync(key);
      }
      tables.users.removeSync(name);
      this.deps.events.append(scope, { actor: actor.user, kind: 'user.deleted', why: `role ${user.role}`, details: { user: name } });
    });
  }

  async setMembership(actor: Principal, groupName: string, userName: string, member: boolean): Promise<Group> {
    requireAdmin(actor, 'change group membership');
    return this.deps.store.write((scope) => {
      const group = this.getGroup(groupName);
      if (!group) throw new NotFoundError('group', groupName);
      const user = this.getUser(userName);
      if (!user) throw new NotFoundError('user', userName);
      const members = new Set(group.members);
      const groups = new Set(user.groups);
      if (member) {
        members.add(userName);
        groups.add(groupName);
      } else {
        members.delete(userName);
        groups.delete(groupName);
      }
      const updated: Group = { ...group, members: [...members].sort() };
      this.deps.store.tables.groups.putSync(groupName, updated);
      this.deps.store.tables.users.putSync(userName, { ...user, groups: [...groups].sort() });
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: member ? 'group.member-added' : 'group.member-removed',
        why: '',
        details: { group: groupName, user: userName },
      });
      return updated;
    });
  }
}
