// Security groups and their rules. Same order as networks (network-registry.ts): the change is
// stored, then the fabric gets the group's full rule list; a failed call is undone by a
// compensating write. Changes of one group run one at a time (keyed-queue.ts), so the lists the
// fabric sees follow each other and an undo never drops another caller's rule.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireWriter } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import { InvalidArgumentError } from '../domain-error.js';
import { NetworkExistsError, NetworkInUseError, SecurityGroupNotFoundError, SecurityRuleNotFoundError } from './errors.js';
import type { FabricGate } from './fabric-gate.js';
import type { SecurityGroupSpec } from './fabric.js';
import { KeyedQueue } from './keyed-queue.js';
import { ownerText, type NetworkAttachment, type Owner, type SecurityGroup, type SecurityRuleRecord } from './network-records.js';
import { OwnedRecords } from './owned-records.js';
import { canSee, resolveOwner } from './ownership.js';
import { checkRule, newRuleId, ruleSpec, sameRule, type RuleRequest } from './security-rules.js';

export interface SecurityGroupRegistryDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly users: UserDirectory;
  readonly fabric: FabricGate;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function securityGroupSpec(group: SecurityGroup): SecurityGroupSpec {
  return { id: group.id, name: group.name, rules: group.rules.map(ruleSpec) };
}

/** Security groups by id and by name, as a principal may see them (OwnedRecords), and their changes. */
export class SecurityGroupRegistry extends OwnedRecords<SecurityGroup> {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: SecurityGroupRegistryDeps) {
    super(
      deps.store.tables.securityGroups,
      deps.store.tables.securityGroupNames,
      deps.fabric,
      (name) => new SecurityGroupNotFoundError(name),
    );
  }

  private get tables(): Store['tables'] {
    return this.deps.store.tables;
  }

  async create(principal: Principal, request: { name: string; owner: Owner | null }): Promise<SecurityGroup> {
    this.deps.fabric.require();
    const owner = resolveOwner(principal, request.owner, this.deps.users, 'security group');
    const group = await this.deps.store.write((scope) => {
      if (this.tables.securityGroupNames.get(request.name) !== undefined) throw new NetworkExistsError('security group', request.name);
      const created: SecurityGroup = { id: randomUUID(), name: request.name, owner, rules: [], createdAt: this.deps.clock.now() };
      this.tables.securityGroups.putSync(created.id, created);
      this.tables.securityGroupNames.putSync(created.name, created.id);
      this.record(scope, principal, 'security-group.created', created, '', {});
      return created;
    });
    try {
      await this.deps.fabric.call(`create security group ${group.name}`, (fabric) => fabric.ensureSecurityGroup(securityGroupSpec(group)));
    } catch (error) {
      await this.deps.store.write((scope) => {
        this.tables.securityGroups.removeSync(group.id);
        this.tables.securityGroupNames.removeSync(group.name);
        this.record(scope, principal, 'security-group.deleted', group, 'undone: the OVN northbound call failed', {});
      });
      throw error;
    }
    return group;
  }

  async delete(principal: Principal, name: string): Promise<void> {
    requireWriter(principal, 'delete security groups');
    const group = this.visible(principal, name);
    await this.queue.run(group.id, async () => {
      this.refuseIfUsed(principal, group);
      await this.deps.fabric.call(`delete security group ${name}`, (fabric) => fabric.deleteSecurityGroup(group.id));
      try {
        await this.deps.store.write((scope) => {
          this.refuseIfUsed(principal, group);
          this.tables.securityGroups.removeSync(group.id);
          this.tables.securityGroupNames.removeSync(group.name);
          this.record(scope, principal, 'security-group.deleted', group, '', {});
        });
      } catch (error) {
        const current = this.get(group.id);
        if (current) {
          await this.deps.fabric
            .call(`restore security group ${name}`, (fabric) => fabric.ensureSecurityGroup(securityGroupSpec(current)))
            .catch((restoreError: unknown) =>
              this.deps.logger.error({ err: restoreError, group: group.id }, 'restoring a security group after a refused delete failed'),
            );
        }
        throw error;
      }
    });
  }

  /** Adds a rule; the fabric gets the group's full rule list. Returns the group and the new rule. */
  async addRule(principal: Principal, name: string, request: RuleRequest): Promise<{ group: SecurityGroup; rule: SecurityRuleRecord }> {
    requireWriter(principal, 'change security groups');
    const target = this.visible(principal, name);
    const checked = checkRule(request);
    let remoteGroupId: string | null = null;
    if (request.remoteGroup !== null) {
      const remote = this.byName(request.remoteGroup);
      // Unknown and not visible read the same.
      if (!remote || !canSee(principal, remote.owner))
        throw new InvalidArgumentError('remote_group', `security group ${request.remoteGroup} not found`);
      remoteGroupId = remote.id;
    }
    const wanted = { ...checked, remoteGroupId };
    return this.queue.run(target.id, async () => {
      const { group, rule } = await this.deps.store.write((scope) => {
        const current = this.current(target);
        const duplicate = current.rules.find((existing) => sameRule(existing, wanted));
        if (duplicate) throw new NetworkExistsError('rule', `${duplicate.id} (the same rule) of security group ${name}`);
        if (remoteGroupId !== null && !this.get(remoteGroupId))
          throw new InvalidArgumentError('remote_group', `security group ${request.remoteGroup ?? ''} not found`);
        const added: SecurityRuleRecord = { id: newRuleId(current.rules), ...wanted };
        const updated: SecurityGroup = { ...current, rules: [...current.rules, added] };
        this.tables.securityGroups.putSync(updated.id, updated);
        this.record(scope, principal, 'security-group.rule-added', updated, '', { rule: added.id });
        return { group: updated, rule: added };
      });
      await this.applyOrUndo(principal, group, `add rule ${rule.id} to security group ${name}`, (current) => ({
        ...current,
        rules: current.rules.filter((r) => r.id !== rule.id),
      }));
      return { group, rule };
    });
  }

  async deleteRule(principal: Principal, name: string, ruleId: string): Promise<SecurityGroup> {
    requireWriter(principal, 'change security groups');
    const target = this.visible(principal, name);
    return this.queue.run(target.id, async () => {
      const { group, removed, index } = await this.deps.store.write((scope) => {
        const current = this.current(target);
        const at = current.rules.findIndex((r) => r.id === ruleId);
        const rule = current.rules[at];
        if (!rule) throw new SecurityRuleNotFoundError(name, ruleId);
        const updated: SecurityGroup = { ...current, rules: current.rules.filter((r) => r.id !== ruleId) };
        this.tables.securityGroups.putSync(updated.id, updated);
        this.record(scope, principal, 'security-group.rule-deleted', updated, '', { rule: ruleId });
        return { group: updated, removed: rule, index: at };
      });
      await this.applyOrUndo(principal, group, `delete rule ${ruleId} of security group ${name}`, (current) => ({
        ...current,
        rules: [...current.rules.slice(0, index), removed, ...current.rules.slice(index)],
      }));
      return group;
    });
  }

  /** Refuses while the group is used: by ports of machines (attachments), or by other groups' rules naming it. */
  private refuseIfUsed(principal: Principal, group: SecurityGroup): void {
    const machines = new Set<string>();
    for (const { value } of this.tables.networkAttachments.getRange({})) {
      const attachment = value as NetworkAttachment;
      if (attachment.securityGroupIds.includes(group.id)) machines.add(attachment.machineId);
    }
    const referring = this.all().filter((other) => other.id !== group.id && other.rules.some((rule) => rule.remoteGroupId === group.id));
    // Groups the caller cannot see are counted, not named.
    const named = referring.filter((other) => canSee(principal, other.owner)).map((other) => other.name);
    const hidden = referring.length - named.length;
    const groups = hidden > 0 ? [...named, `${hidden} other`] : named;
    if (machines.size > 0 || groups.length > 0) throw new NetworkInUseError('security group', group.name, [...machines].sort(), groups);
  }

  /** The stored group as it is now (a rule change may have raced a delete). */
  private current(group: SecurityGroup): SecurityGroup {
    const current = this.get(group.id);
    if (!current) throw new SecurityGroupNotFoundError(group.name);
    return current;
  }

  /** Sends the group's rules to the fabric; on failure stores `undo` of the group and rethrows. */
  private async applyOrUndo(
    principal: Principal,
    group: SecurityGroup,
    action: string,
    undo: (current: SecurityGroup) => SecurityGroup,
  ): Promise<void> {
    try {
      await this.deps.fabric.call(action, (fabric) => fabric.ensureSecurityGroup(securityGroupSpec(group)));
    } catch (error) {
      await this.deps.store.write((scope) => {
        const current = this.get(group.id);
        if (!current) return;
        const restored = undo(current);
        this.tables.securityGroups.putSync(restored.id, restored);
        this.record(scope, principal, 'security-group.rules-restored', restored, 'undone: the OVN northbound call failed', {});
      });
      throw error;
    }
  }

  private record(
    scope: WriteScope,
    principal: Principal,
    kind: string,
    group: SecurityGroup,
    why: string,
    extra: Record<string, string>,
  ): void {
    this.deps.events.append(scope, {
      actor: principal.user,
      kind,
      why,
      details: { securityGroup: group.name, securityGroupId: group.id, owner: ownerText(group.owner), ...extra },
    });
  }
}
