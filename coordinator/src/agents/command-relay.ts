// Commands for agents whose session is on another coordinator (a shared store: etcd). The session
// hub publishes a command it cannot deliver itself; every coordinator learns of it, and the one
// holding the agent's session (now, or when the agent next connects to it) delivers it with the
// same id and what is left of its deadline, and answers through the relay; the publisher's hub
// then resolves the caller as if the agent had answered it directly. The same way, a coordinator
// may ask the holder of an agent's session what it knows of that session live (its last report
// and heartbeat, for `agent show`), which the holder answers without troubling the agent.
// ha/etcd-command-relay.ts is the etcd carrier; on LMDB (one coordinator) there is no relay.
import type { EventEmitter } from 'node:events';
import type { AgentCommand__Output, AgentReport__Output, CommandResult__Output } from '../../../proto/generated/index.js';
import type { SessionOwner } from './agent-registry.js';

/** A command one coordinator published for an agent. */
export interface RelayedCommand {
  readonly agentId: string;
  readonly command: AgentCommand__Output;
  /** What it does, for logs and errors (e.g. "bind-port pf0vf1"). */
  readonly what: string;
  /** When the caller gives up (ms since the epoch, the publisher's clock). */
  readonly deadlineAt: number;
  /** The coordinator incarnation waiting for the answer. */
  readonly from: SessionOwner;
}

/** A coordinator asking for the live view of an agent's session, wherever it is held. */
export interface SessionAsk {
  readonly id: string;
  readonly agentId: string;
  /** The coordinator incarnation waiting for the answer. */
  readonly from: SessionOwner;
}

/** What the coordinator holding an agent's session knows of it live (session-hub.ts session()). */
export interface LiveSessionView {
  readonly epoch: number;
  readonly lastHeartbeatAt: number | null;
  readonly report: AgentReport__Output | null;
}

export interface CommandRelayEvents {
  /** Another coordinator published a command (one this coordinator may hold the agent's session for). */
  command: [command: RelayedCommand];
  /** A command of another coordinator was answered or given up: whoever was delivering it stops. */
  withdrawn: [agentId: string, commandId: string];
  /** The answer to a command this coordinator published. */
  result: [agentId: string, result: CommandResult__Output];
  /** Another coordinator asks for the live view of an agent's session (answered by its holder). */
  asked: [ask: SessionAsk];
}

export interface CommandRelay extends EventEmitter<CommandRelayEvents> {
  /** Offers a command this coordinator cannot deliver to whoever holds the agent's session. */
  publish(command: Omit<RelayedCommand, 'from'>): void;
  /** This coordinator's command was answered or given up: drop it everywhere. */
  withdraw(agentId: string, commandId: string): void;
  /** The agent answered a command another coordinator published: send the answer back. */
  answer(command: RelayedCommand, result: CommandResult__Output): void;
  /** The live view of an agent's session held elsewhere; null when no holder answers within timeoutMs. */
  ask(agentId: string, timeoutMs: number): Promise<LiveSessionView | null>;
  /** Answers another coordinator's ask for a session held here. */
  tell(ask: SessionAsk, view: LiveSessionView): void;
}
