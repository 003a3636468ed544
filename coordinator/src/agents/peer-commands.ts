// Delivers other coordinators' commands (command-relay.ts) to the agents whose sessions are here:
// each published command is kept until its publisher withdraws it or its deadline passes, and is
// handed to this coordinator's hub as soon as the agent has a session here (at once, or when it
// connects), with the same id and what is left of its deadline, never re-published (route
// 'here'). The agent's answer goes back through the relay. Asks for the live view of a session
// held here are answered from the hub. Driven by the relay's and the hub's events only.
import type { CommandResult__Output } from '../../../proto/generated/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CommandRelay, RelayedCommand, SessionAsk } from './command-relay.js';
import type { SessionHub } from './session-hub.js';

export interface PeerCommandsDeps {
  readonly hub: SessionHub;
  readonly relay: CommandRelay;
  readonly clock: Clock;
  readonly log: Logger;
}

export class PeerCommands {
  /** Published commands not withdrawn, by id. */
  private readonly offered = new Map<string, { command: RelayedCommand; expiry: NodeJS.Timeout }>();
  /** Ids handed to this hub (it re-sends them itself after a reconnect here). */
  private readonly handed = new Set<string>();

  private readonly onCommand = (command: RelayedCommand): void => {
    const id = command.command.id;
    const left = command.deadlineAt - this.deps.clock.now();
    if (left <= 0 || this.offered.has(id)) return;
    const expiry = setTimeout(() => this.forget(id), left);
    expiry.unref();
    this.offered.set(id, { command, expiry });
    if (this.deps.hub.session(command.agentId)) this.hand(command);
  };

  private readonly onWithdrawn = (_agentId: string, commandId: string): void => {
    if (!this.offered.has(commandId)) return;
    this.forget(commandId);
    this.deps.hub.abandon(commandId, 'answered or given up by the coordinator that issued it');
  };

  private readonly onAsked = (ask: SessionAsk): void => {
    const live = this.deps.hub.session(ask.agentId);
    if (live) this.deps.relay.tell(ask, live);
  };

  private readonly onOnline = (agentId: string): void => {
    for (const { command } of this.offered.values()) if (command.agentId === agentId) this.hand(command);
  };

  constructor(private readonly deps: PeerCommandsDeps) {}

  start(): void {
    this.deps.relay.on('command', this.onCommand);
    this.deps.relay.on('withdrawn', this.onWithdrawn);
    this.deps.relay.on('asked', this.onAsked);
    this.deps.hub.on('online', this.onOnline);
  }

  stop(): void {
    this.deps.relay.off('command', this.onCommand);
    this.deps.relay.off('withdrawn', this.onWithdrawn);
    this.deps.relay.off('asked', this.onAsked);
    this.deps.hub.off('online', this.onOnline);
    for (const { expiry } of this.offered.values()) clearTimeout(expiry);
    this.offered.clear();
    this.handed.clear();
  }

  /** Commands of other coordinators waiting here for their agent (for metrics and tests). */
  get waiting(): number {
    return this.offered.size;
  }

  private hand(command: RelayedCommand): void {
    const id = command.command.id;
    const left = command.deadlineAt - this.deps.clock.now();
    if (this.handed.has(id) || left <= 0) return;
    this.handed.add(id);
    const { id: _id, ...body } = command.command;
    this.deps.log.info(
      { agentId: command.agentId, commandId: id, what: command.what, from: command.from.coordinator },
      'delivering a command for another coordinator',
    );
    this.deps.hub.command(command.agentId, body, left, command.what, id, 'here').then(
      (result: CommandResult__Output) => {
        this.forget(id);
        this.deps.relay.answer(command, result);
      },
      (error: unknown) => {
        this.handed.delete(id);
        this.deps.log.debug(
          { agentId: command.agentId, commandId: id, err: (error as Error).message },
          'a peer’s command was not answered here',
        );
      },
    );
  }

  private forget(id: string): void {
    const entry = this.offered.get(id);
    if (entry) clearTimeout(entry.expiry);
    this.offered.delete(id);
    this.handed.delete(id);
  }
}
