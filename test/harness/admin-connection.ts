// One gRPC connection to a coordinator as admin, for the waits of end-to-end tests: a look costs
// one call, where a look through moorctl starts a Node process (about half a CPU-second) on the
// same two cores the daemons run on. Rebuilt when the coordinator went away or was started again.
import { CoordinatorClient, isServiceError, statusName } from '../../coordinator/src/client/coordinator-client.js';

/** Where a coordinator answers; a function, because a restarted coordinator is a new process. */
export type CoordinatorTarget = () => { readonly address: string; readonly caPem: string; readonly adminToken: string };

export class AdminConnection {
  private client: CoordinatorClient | undefined;

  constructor(private readonly target: CoordinatorTarget) {}

  /** What `use` returns from the current coordinator, or undefined while none answers (UNAVAILABLE). */
  async ask<T>(use: (client: CoordinatorClient) => Promise<T>): Promise<T | undefined> {
    const { address, caPem, adminToken } = this.target();
    if (this.client?.address !== address) this.reset();
    this.client ??= new CoordinatorClient({ address, caPem, token: adminToken, ownConnection: true, timeoutMs: 5_000 });
    try {
      return await use(this.client);
    } catch (error) {
      if (!isServiceError(error) || statusName(error.code) !== 'UNAVAILABLE') throw error;
      // A killed coordinator: a new connection finds the next one without grpc-js's reconnect backoff.
      this.reset();
      return undefined;
    }
  }

  close(): void {
    this.reset();
  }

  private reset(): void {
    this.client?.close();
    this.client = undefined;
  }
}
