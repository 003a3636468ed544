// Composes the host has not reported yet: between sending lxd_compose and the first report that
// lists the new instance, its cores and memory are in no usage figure. Counting them here keeps
// two concurrent composes from both fitting into the same free capacity.
import type { Demand } from './overcommit.js';

export class PendingComposes {
  private readonly byHost = new Map<string, Map<string, Demand>>();

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

  /** A report listing these instances counts them in its usage: they are pending no more. */
  settle(host: string, reported: Iterable<string>): void {
    for (const name of reported) this.drop(host, name);
  }

  forgetHost(host: string): void {
    this.byHost.delete(host);
  }
}
