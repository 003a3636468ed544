// Until when this coordinator may act, readable from every thread of its process. The ipmitool
// sessions (power/ipmi/ipmitool-sessions.ts) run their own timers (a BMC session's keep-alive), and
// after a pause (SIGSTOP, a long GC) an overdue keep-alive and the lease watchdog wake at once, in
// either order. The lease (coordinator-lease.ts) writes here the wall-clock moment etcd certainly
// still holds it, at every answered keepalive, and 0 once lost or closed; the sessions read it
// before every BMC command they send, their keep-alives included, so a coordinator woken past its
// lease makes no BMC call whichever timer runs first.
// Milliseconds since the epoch (Date.now(): one clock for every thread) in a shared BigInt64, read
// and written with Atomics.

const FOREVER = 2n ** 62n;

export class ActDeadline {
  private readonly view: BigInt64Array;

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.view = new BigInt64Array(buffer, 0, 1);
  }

  /** A new deadline, at `untilMs` (default: it never passes). */
  static create(untilMs = Infinity): ActDeadline {
    const deadline = new ActDeadline(new SharedArrayBuffer(8));
    deadline.set(untilMs);
    return deadline;
  }

  /** The deadline another thread made, from its buffer. */
  static open(buffer: SharedArrayBuffer): ActDeadline {
    return new ActDeadline(buffer);
  }

  /** Acting is allowed until `untilMs` (Infinity: always; 0: no longer). */
  set(untilMs: number): void {
    Atomics.store(this.view, 0, untilMs === Infinity ? FOREVER : BigInt(Math.max(0, Math.floor(untilMs))));
  }

  /** Whether the coordinator may still act now. */
  allows(): boolean {
    return BigInt(Date.now()) < Atomics.load(this.view, 0);
  }
}
