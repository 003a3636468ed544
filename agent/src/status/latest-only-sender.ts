// Backpressure for status subscribers: at most one message in flight per client, and while it is
// in flight only the newest waiting message is kept. Every message is a whole snapshot, so a slow
// client loses intermediate states but never sees a stale one last, and the server holds at most
// two messages per client however far behind it falls.

/** Writes one message; calls done once it has been handed to the OS (or failed). */
export type WriteFn = (data: string, done: (err?: Error) => void) => void;

export class LatestOnlySender {
  private inFlight = false;
  private pending: string | undefined;
  private closed = false;
  /** Messages replaced by a newer one before they could be sent. */
  dropped = 0;
  sent = 0;

  constructor(
    private readonly write: WriteFn,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  get idle(): boolean {
    return !this.inFlight && this.pending === undefined;
  }

  push(data: string): void {
    if (this.closed) return;
    if (!this.inFlight) {
      this.send(data);
      return;
    }
    if (this.pending !== undefined) this.dropped++;
    this.pending = data;
  }

  /** Stops sending; a message already in flight completes or fails on its own. */
  close(): void {
    this.closed = true;
    this.pending = undefined;
  }

  private send(data: string): void {
    this.inFlight = true;
    this.write(data, (err) => {
      this.inFlight = false;
      if (err) {
        this.close();
        this.onError(err);
        return;
      }
      this.sent++;
      const next = this.pending;
      this.pending = undefined;
      if (next !== undefined && !this.closed) this.send(next);
    });
  }
}
