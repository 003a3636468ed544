// Agent commands across coordinators, carried by etcd (agents/command-relay.ts says what for):
//   P/ha/commands/<agent>/<command id>   a published command (msgpack), put with the publisher's
//                                        lease: it goes when the publisher withdraws it or dies
//   P/ha/results/<command id>            the answer, put by the coordinator that delivered it, only
//                                        while the command key exists (one Txn), and with the
//                                        publisher's lease, so nothing outlives the publisher
// Every coordinator reads the commands present when it starts and watches both prefixes from
// there; nothing polls. The publisher deletes both keys once its hub has settled the command.
import { EventEmitter } from 'node:events';
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import { Packr } from 'msgpackr';
import type { CommandResult__Output } from '../../../proto/generated/index.js';
import type { SessionOwner } from '../agents/agent-registry.js';
import type { CommandRelay, CommandRelayEvents, RelayedCommand } from '../agents/command-relay.js';
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

type RelayState = { type: 'built' } | { type: 'following'; watchers: Watcher[] } | { type: 'closed' };

export class EtcdCommandRelay extends EventEmitter<CommandRelayEvents> implements CommandRelay {
  private readonly packr = new Packr({ useRecords: false });
  /** Commands this coordinator published and has not withdrawn: id -> agent. */
  private readonly mine = new Map<string, string>();
  private readonly commands: string;
  private readonly results: string;
  private readonly logger: Logger;
  private state: RelayState = { type: 'built' };

  constructor(private readonly deps: EtcdCommandRelayDeps) {
    super();
    this.setMaxListeners(0);
    this.commands = `${deps.prefix}/ha/commands/`;
    this.results = `${deps.prefix}/ha/results/`;
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

  async close(): Promise<void> {
    const state = this.state;
    this.state = { type: 'closed' };
    this.mine.clear();
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

  private applyResults(response: IWatchResponse): void {
    for (const event of response.events) {
      if (event.type !== 'Put') continue;
      const id = decodeURIComponent(event.kv.key.toString().slice(this.results.length));
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
