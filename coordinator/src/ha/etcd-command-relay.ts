// Agent commands across coordinators, carried by etcd (agents/command-relay.ts says what for):
//   P/ha/commands/<agent>/<command id>   a published command (msgpack), put with the publisher's
//                                        lease: it goes when the publisher withdraws it or dies
//   P/ha/results/<command id>            the answer, put by the coordinator that delivered it, only
//                                        while the command key exists (one Txn), and with the
//                                        publisher's lease, so nothing outlives the publisher
//   P/ha/asks/<agent>/<ask id>           an ask for the live view of an agent's session (msgpack),
//                                        with the asker's lease; the holder answers it under
//                                        P/ha/results/<ask id> the same way as a command
// Every coordinator reads the commands present when it starts and watches both prefixes from
// there; nothing polls. The publisher deletes both keys once its hub has settled the command, the
// asker once it has its answer or gave up waiting.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import { Packr } from 'msgpackr';
import type { CommandResult__Output } from '../../../proto/generated/index.js';
import type { SessionOwner } from '../agents/agent-registry.js';
import type { CommandRelay, CommandRelayEvents, LiveSessionView, RelayedCommand, SessionAsk } from '../agents/command-relay.js';
import type { Logger } from '../logger.js';
import { etcdFailure } from '../store/etcd-errors.js';

export interface EtcdCommandRelayDeps {
  readonly client: Etcd3;
  /** The fleet's key prefix (no trailing slash). */
  readonly prefix: string;
  /** This coordinator incarnation: its commands are put with its lease, and it skips its own. */
  readonly self: SessionOwner;
  readonly logger: Logger;
}

interface StoredResult {
  readonly agentId: string;
  readonly result: CommandResult__Output;
}

interface StoredView {
  readonly agentId: string;
  readonly view: LiveSessionView;
}

type RelayState = { type: 'built' } | { type: 'following'; watchers: Watcher[] } | { type: 'closed' };

export class EtcdCommandRelay extends EventEmitter<CommandRelayEvents> implements CommandRelay {
  private readonly packr = new Packr({ useRecords: false });
  /** Commands this coordinator published and has not withdrawn: id -> agent. */
  private readonly mine = new Map<string, string>();
  /** Asks this coordinator is waiting on: id -> who settles it. */
  private readonly asking = new Map<string, (view: LiveSessionView | null) => void>();
  private readonly commands: string;
  private readonly results: string;
  private readonly asks: string;
  private readonly logger: Logger;
  private state: RelayState = { type: 'built' };

  constructor(private readonly deps: EtcdCommandRelayDeps) {
    super();
    this.setMaxListeners(0);
    this.commands = `${deps.prefix}/ha/commands/`;
    this.results = `${deps.prefix}/ha/results/`;
    this.asks = `${deps.prefix}/ha/asks/`;
    this.logger = deps.logger.child({ component: 'command-relay' });
  }

  /** Reads the commands other coordinators have published, then follows commands and answers. */
  async start(): Promise<void> {
    if (this.state.type !== 'built') throw new Error(`the command relay cannot start: it is ${this.state.type}`);
    const page = await this.deps.client
      .getAll()
      .prefix(this.commands)
      .exec()
      .catch((error: unknown) => {
        throw etcdFailure(error);
      });
    const from = String(Number(page.header.revision) + 1);
    const watchers: Watcher[] = [];
    for (const [prefix, apply] of [
      [this.commands, (r: IWatchResponse): void => this.applyCommands(r)],
      [this.results, (r: IWatchResponse): void => this.applyResults(r)],
      [this.asks, (r: IWatchResponse): void => this.applyAsks(r)],
    ] as const) {
      const watcher = await this.deps.client.watch().prefix(prefix).startRevision(from).create();
      watcher.on('data', apply);
      watcher.on('disconnected', (error) => this.logger.warn({ err: error, prefix }, 'relay watch disconnected; the client resumes it'));
      watcher.on('error', (error) => this.logger.error({ err: error, prefix }, 'relay watch ended'));
      watchers.push(watcher);
    }
    if (this.isClosed()) {
      await Promise.all(watchers.map((w) => w.cancel().catch(() => undefined)));
      return;
    }
    this.state = { type: 'following', watchers };
    for (const kv of page.kvs) this.offered(kv);
  }

  publish(command: Omit<RelayedCommand, 'from'>): void {
    const id = command.command.id;
    this.mine.set(id, command.agentId);
    const stored: RelayedCommand = { ...command, from: this.deps.self };
    this.logger.debug({ agentId: command.agentId, commandId: id, what: command.what }, 'command published for another coordinator');
    this.deps.client
      .put(this.commandKey(command.agentId, id))
      .value(this.packr.pack(stored))
      .lease(this.deps.self.lease)
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error, agentId: command.agentId, commandId: id }, 'publishing a command failed'));
  }

  withdraw(agentId: string, commandId: string): void {
    this.mine.delete(commandId);
    this.deps.client
      .if(this.commandKey(agentId, commandId), 'Version', '>', 0)
      .then(this.deps.client.delete().key(this.commandKey(agentId, commandId)), this.deps.client.delete().key(this.resultKey(commandId)))
      .else(this.deps.client.delete().key(this.resultKey(commandId)))
      .commit()
      .catch((error: unknown) =>
        this.logger.warn({ err: error, agentId, commandId }, 'withdrawing a command failed (its keys go with the lease)'),
      );
  }

  answer(command: RelayedCommand, result: CommandResult__Output): void {
    const stored: StoredResult = { agentId: command.agentId, result };
    const commandId = command.command.id;
    this.deps.client
      .if(this.commandKey(command.agentId, commandId), 'Version', '>', 0)
      .then(this.deps.client.put(this.resultKey(commandId)).value(this.packr.pack(stored)).lease(command.from.lease))
      .commit()
      .then(
        (txn) => this.logger.debug({ agentId: command.agentId, commandId, answered: txn.succeeded }, 'answer sent back'),
        (error: unknown) => this.logger.warn({ err: error, agentId: command.agentId, commandId }, 'sending an answer back failed'),
      );
  }

  async ask(agentId: string, timeoutMs: number): Promise<LiveSessionView | null> {
    if (this.state.type !== 'following') return null;
    const ask: SessionAsk = { id: randomUUID(), agentId, from: this.deps.self };
    const answered = new Promise<LiveSessionView | null>((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      timer.unref();
      const settle = (view: LiveSessionView | null): void => {
        clearTimeout(timer);
        this.asking.delete(ask.id);
        resolve(view);
      };
      this.asking.set(ask.id, settle);
    });
    const askKey = `${this.asks}${encodeURIComponent(agentId)}/${encodeURIComponent(ask.id)}`;
    try {
      await this.deps.client.put(askKey).value(this.packr.pack(ask)).lease(this.deps.self.lease).exec();
    } catch (error) {
      this.asking.get(ask.id)?.(null);
      throw etcdFailure(error);
    }
    const view = await answered;
    this.deps.client
      .delete()
      .key(askKey)
      .exec()
      .then(() => this.deps.client.delete().key(this.resultKey(ask.id)).exec())
      .catch((error: unknown) =>
        this.logger.warn({ err: error, agentId, askId: ask.id }, 'removing an ask failed (its keys go with the lease)'),
      );
    return view;
  }

  tell(ask: SessionAsk, view: LiveSessionView): void {
    const askKey = `${this.asks}${encodeURIComponent(ask.agentId)}/${encodeURIComponent(ask.id)}`;
    const stored: StoredView = { agentId: ask.agentId, view };
    this.deps.client
      .if(askKey, 'Version', '>', 0)
      .then(this.deps.client.put(this.resultKey(ask.id)).value(this.packr.pack(stored)).lease(ask.from.lease))
      .commit()
      .catch((error: unknown) => this.logger.warn({ err: error, agentId: ask.agentId, askId: ask.id }, 'answering an ask failed'));
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { type: 'closed' };
    this.mine.clear();
    for (const settle of [...this.asking.values()]) settle(null);
    if (state.type === 'following') await Promise.all(state.watchers.map((w) => w.cancel().catch(() => undefined)));
  }

  private applyCommands(response: IWatchResponse): void {
    for (const event of response.events) {
      if (event.type === 'Put') {
        this.offered(event.kv);
        continue;
      }
      const [agent, id] = event.kv.key.toString().slice(this.commands.length).split('/');
      if (agent === undefined || id === undefined) continue;
      this.emit('withdrawn', decodeURIComponent(agent), decodeURIComponent(id));
    }
  }

  /** A command key seen: another coordinator's command is offered to this one's sessions. */
  private offered(kv: IKeyValue): void {
    const command = this.decode<RelayedCommand>(kv);
    if (!command) return;
    if (command.from.coordinator === this.deps.self.coordinator && command.from.lease === this.deps.self.lease) return;
    this.emit('command', command);
  }

  private applyAsks(response: IWatchResponse): void {
    for (const event of response.events) {
      if (event.type !== 'Put') continue;
      const ask = this.decode<SessionAsk>(event.kv);
      if (!ask || (ask.from.coordinator === this.deps.self.coordinator && ask.from.lease === this.deps.self.lease)) continue;
      this.emit('asked', ask);
    }
  }

  private applyResults(response: IWatchResponse): void {
    for (const event of response.events) {
      if (event.type !== 'Put') continue;
      const id = decodeURIComponent(event.kv.key.toString().slice(this.results.length));
      const asked = this.asking.get(id);
      if (asked) {
        asked(this.decode<StoredView>(event.kv)?.view ?? null);
        continue;
      }
      if (!this.mine.has(id)) continue;
      const stored = this.decode<StoredResult>(event.kv);
      if (stored) this.emit('result', stored.agentId, stored.result);
    }
  }

  /** A method, not a field test: close() may run during any await. */
  private isClosed(): boolean {
    return this.state.type === 'closed';
  }

  private decode<T>(kv: IKeyValue): T | null {
    try {
      return this.packr.unpack(kv.value) as T;
    } catch (error) {
      this.logger.warn({ err: error, key: kv.key.toString() }, 'not a relayed command or answer: ignored');
      return null;
    }
  }

  private commandKey(agentId: string, commandId: string): string {
    return `${this.commands}${encodeURIComponent(agentId)}/${encodeURIComponent(commandId)}`;
  }

  private resultKey(commandId: string): string {
    return `${this.results}${encodeURIComponent(commandId)}`;
  }
}
