// Agents as a coordinator shows them (AgentAdminService.GetAgent: the document `moorctl --json
// agent show` prints; ListCoordinators: what `moorctl --json coordinators --agents` prints), read
// over one admin connection (admin-connection.ts) for the tests that wait on an agent's state or
// epoch, or on which coordinator holds it.
import { isServiceError, statusName } from '../../coordinator/src/client/coordinator-client.js';
import type { AgentInfo__Output, CoordinatorInfo__Output } from '../../proto/generated/index.js';
import { AdminConnection, type CoordinatorTarget } from './admin-connection.js';

export class AgentInfos {
  private readonly connection: AdminConnection;

  constructor(target: CoordinatorTarget) {
    this.connection = new AdminConnection(target);
  }

  /** The agent, or null while the coordinator does not answer or knows no agent of that name. */
  async of(name: string): Promise<AgentInfo__Output | null> {
    const shown = await this.connection.ask(async (client) => {
      try {
        return await client.call('AgentAdminService', 'GetAgent', { name });
      } catch (error) {
        if (isServiceError(error) && statusName(error.code) === 'NOT_FOUND') return null;
        throw error;
      }
    });
    return shown ?? null;
  }

  /** The live coordinators with their agents' names, or null while the coordinator does not answer. */
  async coordinators(): Promise<CoordinatorInfo__Output[] | null> {
    const listed = await this.connection.ask((client) => client.call('AgentAdminService', 'ListCoordinators', { withAgents: true }));
    return listed?.coordinators ?? null;
  }

  close(): void {
    this.connection.close();
  }
}
