// Agents as a coordinator shows them (AgentAdminService.GetAgent: the document `moorctl --json
// agent show` prints), read over one admin connection (admin-connection.ts) for the tests that
// wait on an agent's state or epoch.
import { isServiceError, statusName } from '../../coordinator/src/client/coordinator-client.js';
import type { AgentInfo__Output } from '../../proto/generated/index.js';
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

  close(): void {
    this.connection.close();
  }
}
