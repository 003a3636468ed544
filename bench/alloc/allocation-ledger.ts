// Who holds which machine, as the load generator sees it, to count double allocations: a machine
// handed to a second caller while its first holder has not yet sent the release. From the
// allocation's answer until the release is sent the holder's claim is certain; once the release
// is on its way the coordinator may give the machine to anyone, so a later answer naming it is no
// evidence of a double allocation.
export class AllocationLedger {
  private readonly holders = new Map<string, { holder: number; state: 'held' | 'releasing' }>();
  private doubles = 0;

  get doubleAllocations(): number {
    return this.doubles;
  }

  /** `holder` was given machine `id`. */
  allocated(id: string, holder: number): void {
    if (this.holders.get(id)?.state === 'held') this.doubles++;
    this.holders.set(id, { holder, state: 'held' });
  }

  /** `holder` is about to send the release of `id`. */
  releasing(id: string, holder: number): void {
    const entry = this.holders.get(id);
    if (entry?.holder === holder) entry.state = 'releasing';
  }

  /** The release of `id` by `holder` has been answered. */
  released(id: string, holder: number): void {
    if (this.holders.get(id)?.holder === holder) this.holders.delete(id);
  }
}
