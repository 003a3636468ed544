// Changes the host has not reported yet. Between sending lxd_compose and the first report that
// lists the new instance, its cores and memory are in no usage figure: counting them here keeps
// two concurrent composes from both fitting into the same free capacity, and keeps a report
// taken before the compose from removing the new machine. Likewise a VM deleted through Mooring
// stays deleted while reports taken before the delete still list its instance.
import type { Demand } from './overcommit.js';

export class PendingComposes {
  private readonly byHost = new Map<string, Map<string, Demand>>();
  private readonly deleted = new Map<string, Set<string>>();

  of(host: string): Demand[] {
    return [...(this.byHost.get(host)?.values() ?? [])];
  }

  has(host: string, instance: string): boolean {
    return this.byHost.get(host)?.has(instance) ?? false;
  }

  add(host: string, instance: string, demand: Demand): void {
    let m = this.byHost.get(host);
    if (!m) this.byHost.set(host, (m = new Map<string, Demand>()));
    m.set(instance, demand);
  }

  drop(host: string, instance: string): void {
    const m = this.byHost.get(host);
    m?.delete(instance);
    if (m?.size === 0) this.byHost.delete(host);
  }

  markDeleted(host: string, instance: string): void {
    let s = this.deleted.get(host);
    if (!s) this.deleted.set(host, (s = new Set<string>()));
    s.add(instance);
  }

  isDeleted(host: string, instance: string): boolean {
    return this.deleted.get(host)?.has(instance) ?? false;
  }

  /**
   * A report listing a composed instance counts it in its usage: it is pending no more. A report
   * no longer listing a deleted one has caught up with the delete.
   */
  settle(host: string, reported: readonly string[]): void {
    for (const name of reported) this.drop(host, name);
    const gone = this.deleted.get(host);
    if (!gone) return;
    const listed = new Set(reported);
    for (const name of gone) if (!listed.has(name)) gone.delete(name);
    if (gone.size === 0) this.deleted.delete(host);
  }

  forgetHost(host: string): void {
    this.byHost.delete(host);
    this.deleted.delete(host);
  }
}
