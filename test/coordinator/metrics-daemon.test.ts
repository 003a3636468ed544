// The coordinator daemon's /metrics (node dist/coordinator/src/main.js), checked by Prometheus's
// own promtool: its own plain HTTP listener, printed at start; gRPC calls counted by method and
// status code; machines by status computed at scrape time; process metrics without the
// `_total` gauges promtool rejects. Before this, the coordinator had no metrics at all.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { promtoolCheck, sample, scrape } from '../harness/promtool.js';

let dir: string;
let coordinator: CoordinatorProcess;
let admin: CoordinatorClient;
let metricsUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-metrics-daemon-'));
  coordinator = await startCoordinatorProcess(path.join(dir, 'data'));
  metricsUrl = coordinator.metricsUrl ?? '';
  admin = new CoordinatorClient({ address: coordinator.address, caPem: coordinator.caPem, token: coordinator.adminToken });
});

afterAll(async () => {
  admin?.close();
  await coordinator?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

const handled = (method: string, code: string): string =>
  `mooring_coordinator_grpc_server_handled_total{service="mooring.v1.MachineService",method="${method}",code="${code}"}`;

describe('mooring-coordinator /metrics', () => {
  it('prints where it serves /metrics, and promtool check metrics finds no problem in what it serves', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const first = await scrape(metricsUrl);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await promtoolCheck(first.body)).toEqual({ code: 0, problems: [] });
    // Process metrics, event-loop lag among them; no gauge named like a counter.
    expect(first.body).toMatch(/^mooring_coordinator_nodejs_eventloop_lag_seconds \d/m);
    expect(first.body).toMatch(/^mooring_coordinator_process_resident_memory_bytes \d/m);
    expect(first.body).toMatch(/^mooring_coordinator_nodejs_active_handles\{type="\w+"\} \d/m);
    const gaugesEndingTotal = [...first.body.matchAll(/^# TYPE (\S+_total) (\w+)$/gm)].filter((m) => m[2] !== 'counter');
    expect(gaugesEndingTotal.map((m) => m[1])).toEqual([]);
    // Agents by role and state are there from the start (all zero: none enrolled).
    expect(sample(first.body, 'mooring_coordinator_agents{role="smartnic",state="ONLINE"}')).toBe(0);
  });

  it('counts gRPC calls by method and status code, and machines by status at scrape time', async () => {
    const before = (await scrape(metricsUrl)).body;
    expect(sample(before, 'mooring_coordinator_machines{status="NEW"}')).toBe(0);
    expect(sample(before, handled('EnlistMachine', 'OK'))).toBeUndefined();

    await admin.call('MachineService', 'EnlistMachine', {
      hostname: 'metrics-1',
      arch: 'amd64',
      cores: 4,
      memoryMib: 4096,
      power: { driver: 'POWER_DRIVER_MANUAL' },
      ports: [{ mac: '52:54:00:aa:00:01' }],
    });
    await expect(admin.call('MachineService', 'GetMachine', { machine: 'no-such-machine' })).rejects.toMatchObject({ code: 5 });
    const stranger = new CoordinatorClient({ address: coordinator.address, caPem: coordinator.caPem, token: 'not-a-token' });
    try {
      await expect(stranger.call('MachineService', 'ListMachines', {})).rejects.toMatchObject({ code: 16 });
    } finally {
      stranger.close();
    }

    const after = (await scrape(metricsUrl)).body;
    expect(sample(after, 'mooring_coordinator_machines{status="NEW"}')).toBe(1);
    expect(sample(after, handled('EnlistMachine', 'OK'))).toBe(1);
    expect(sample(after, handled('GetMachine', 'NOT_FOUND'))).toBe(1);
    expect(sample(after, handled('ListMachines', 'UNAUTHENTICATED'))).toBe(1);
    const latency =
      'mooring_coordinator_grpc_server_handling_seconds_count{service="mooring.v1.MachineService",method="EnlistMachine",code="OK"}';
    expect(sample(after, latency)).toBe(1);
    // The enlist committed to LMDB: its commit latency is observed.
    expect(sample(after, 'mooring_coordinator_store_commit_duration_seconds_count{result="ok"}')).toBeGreaterThan(
      sample(before, 'mooring_coordinator_store_commit_duration_seconds_count{result="ok"}') ?? 0,
    );
    // ... in a transaction that carried it: the writes per transaction are counted as well.
    const transactions = (text: string): number => sample(text, 'mooring_coordinator_store_transaction_writes_count') ?? 0;
    expect(transactions(after)).toBeGreaterThan(transactions(before));
    expect(sample(after, 'mooring_coordinator_store_transaction_writes_sum')).toBeGreaterThanOrEqual(transactions(after));
    // With histograms and labelled counters filled in, promtool still finds nothing.
    expect(await promtoolCheck(after)).toEqual({ code: 0, problems: [] });
  });

  it('answers only GET and HEAD on /metrics: 404 elsewhere, 405 for other methods', async () => {
    const base = metricsUrl.replace(/\/metrics$/, '');
    expect((await scrape(`${base}/`)).status).toBe(404);
    expect((await scrape(`${base}/status`)).body).toContain('the metrics are at /metrics');
    expect((await scrape(metricsUrl, 'POST')).status).toBe(405);
    const head = await scrape(metricsUrl, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it('refuses to start when the metrics address is taken, naming --metrics-listen; "off" serves none', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      const started = startCoordinatorProcess(path.join(dir, 'taken'), { extraArgs: ['--metrics-listen', `127.0.0.1:${taken}`] });
      const error = await started.then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain(`exited with 1 before listening`);
      expect(error?.message).toContain(`cannot serve /metrics on 127.0.0.1:${taken}: the address is already in use`);
      expect(error?.message).toContain('--metrics-listen');
    } finally {
      holder.close();
    }

    const off = await startCoordinatorProcess(path.join(dir, 'off'), { extraArgs: ['--metrics-listen', 'off'] });
    try {
      expect(off.metricsUrl).toBeNull();
    } finally {
      await off.kill('SIGTERM');
    }
  });
});
