// A bound on unauthenticated calls in progress. What an unauthenticated caller can cost is what
// it can make us hold: a request buffered while it trickles in, an enrollment (a token look-up, a
// CSR verified, a certificate signed). Past the bound, new calls are refused at once instead of
// queueing, so the process's memory and event loop stay bounded whatever the callers do.
export class UnauthenticatedGate {
  private inside = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`the unauthenticated call limit must be a positive integer, not ${limit}`);
  }

  get count(): number {
    return this.inside;
  }

  /** Takes a place; false when all `limit` places are taken. Each true must be matched by leave(). */
  tryEnter(): boolean {
    if (this.inside >= this.limit) return false;
    this.inside++;
    return true;
  }

  leave(): void {
    if (this.inside === 0) throw new Error('UnauthenticatedGate.leave() without a matching tryEnter()');
    this.inside--;
  }
}
