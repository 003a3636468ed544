// The console's API calls (/api/rpc) in the coordinator daemon's /metrics: counted and timed by
// service, method and status code like gRPC calls, in their own series
// (mooring_coordinator_console_rpc_*), never in the gRPC ones; a method the API does not have
// mints no label value; promtool check metrics stays clean. Before this, console calls were not
// counted anywhere.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { promtoolCheck, sample, scrape } from '../harness/promtool.js';
import { ConsoleClient } from '../console/console-client.js';

let dir: string;
let coordinator: CoordinatorProcess;
let console_: ConsoleClient;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-metrics-console-'));
  coordinator = await startCoordinatorProcess(path.join(dir, 'data'));
  console_ = new ConsoleClient(coordinator.consoleUrl ?? '', coordinator.caPem);
});

afterAll(async () => {
  await console_?.close();
  await coordinator?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

const series = (kind: 'console_rpc' | 'grpc_server', service: string, method: string, code: string): string =>
  `mooring_coordinator_${kind}_handled_total{service="mooring.v1.${service}",method="${method}",code="${code}"}`;

describe('console calls in the coordinator /metrics', () => {
  it('counts console API calls by service, method and status code, apart from gRPC calls', async () => {
    const metricsUrl = coordinator.metricsUrl ?? '';
    const before = (await scrape(metricsUrl)).body;
    expect(sample(before, series('console_rpc', 'MachineService', 'ListMachines', 'OK'))).toBeUndefined();

    expect((await console_.signIn(coordinator.adminToken)).status).toBe(200);
    expect((await console_.request('POST', '/api/rpc/MachineService/ListMachines', {})).status).toBe(200);
    expect((await console_.request('POST', '/api/rpc/MachineService/ListMachines', { page_size: 5 })).status).toBe(200);
    expect((await console_.request('POST', '/api/rpc/MachineService/GetMachine', { machine: 'nope' })).status).toBe(404);
    expect((await console_.request('POST', '/api/rpc/MachineService/NoSuchMethod', {})).status).toBe(404);

    const after = (await scrape(metricsUrl)).body;
    expect(sample(after, series('console_rpc', 'MachineService', 'ListMachines', 'OK'))).toBe(2);
    expect(sample(after, series('console_rpc', 'MachineService', 'GetMachine', 'NOT_FOUND'))).toBe(1);
    // Signing in asks the API who the token's holder is.
    expect(sample(after, series('console_rpc', 'TenancyService', 'WhoAmI', 'OK'))).toBe(1);
    const latency =
      'mooring_coordinator_console_rpc_handling_seconds_count{service="mooring.v1.MachineService",method="ListMachines",code="OK"}';
    expect(sample(after, latency)).toBe(2);
    // Not counted as gRPC calls, and an invented method is no label value.
    expect(sample(after, series('grpc_server', 'MachineService', 'ListMachines', 'OK'))).toBeUndefined();
    expect(after).not.toContain('NoSuchMethod');
    expect(await promtoolCheck(after)).toEqual({ code: 0, problems: [] });
  });
});
