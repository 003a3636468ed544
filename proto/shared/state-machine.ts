// A guarded lifecycle, in the shape of grpc-js's connectivity state: one state variable, a table of
// the transitions allowed out of each state, an entry action per state, and listeners told
// {from, to, reason} after the entry action ran. A transition the table does not allow is a bug in
// the caller, so it throws (naming both states) instead of being silently absorbed.

export interface Transition<S extends string, R> {
  readonly from: S;
  readonly to: S;
  readonly reason: R;
}

/** For each state, the states it may move to. A state missing from its own list cannot repeat. */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

export interface StateMachineOptions<S extends string, R> {
  /** Names the component in errors and logs, e.g. "ovsdb client". */
  readonly name: string;
  readonly initial: S;
  readonly allowed: TransitionTable<S>;
  /** Runs on entering a state, before the listeners hear of it. */
  readonly onEnter?: { readonly [K in S]?: (t: Transition<S, R>) => void };
  /** Logs every transition as `name A -> B` (a pino logger fits). */
  readonly log?: { debug(fields: object, msg: string): void };
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';

  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: no transition from ${from} to ${to}`);
  }
}

export type TransitionListener<S extends string, R> = (t: Transition<S, R>) => void;

export class StateMachine<S extends string, R = string> {
  private current: S;
  private readonly listeners = new Set<TransitionListener<S, R>>();

  constructor(private readonly options: StateMachineOptions<S, R>) {
    this.current = options.initial;
  }

  get state(): S {
    return this.current;
  }

  /** Whether the current state is one of `states`. */
  is(...states: S[]): boolean {
    return states.includes(this.current);
  }

  /** Whether a transition to `to` is allowed from the current state. */
  can(to: S): boolean {
    return this.options.allowed[this.current].includes(to);
  }

  /**
   * Moves to `to`: the state changes first (so an entry action or listener that asks sees the new
   * one), then the entry action runs, then every listener in the order they were added.
   */
  transition(to: S, reason: R): void {
    const from = this.current;
    if (!this.can(to)) throw new IllegalTransitionError(this.options.name, from, to);
    this.current = to;
    const t: Transition<S, R> = { from, to, reason };
    this.options.log?.debug({ from, to, reason }, `${this.options.name} ${from} -> ${to}`);
    this.options.onEnter?.[to]?.(t);
    for (const listener of [...this.listeners]) listener(t);
  }

  /** Adds a listener; the function returned removes it. */
  onTransition(listener: TransitionListener<S, R>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
