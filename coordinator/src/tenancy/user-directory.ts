// Users and groups. A user record lists its groups and a group record its members; both change in
// the same transaction so the two never disagree.
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from './access.js';
import { AlreadyExistsError, NotFoundError } from './errors.js';
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
