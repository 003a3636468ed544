// The agent's /metrics as Prometheus's own promtool sees it, and its SR-IOV figures.
// 1. The real agent daemon (node dist/agent/src/main.js run, no OVSDB or coordinator needed): what
//    its status server answers on /metrics passes `promtool check metrics`. Before, prom-client's
//    default gauges nodejs_active_{handles,requests,resources}_total failed it ("non-counter
//    metrics should not have _total suffix").
// 2. VFs per PF, the PF's VF limit, the eswitch mode and reconcile failures, from an SriovController
//    wired as agent.ts wires it (reports onto the StatusBoard, reconciles counted) over the SIMULATED
//    sysfs SR-IOV tree and ip/devlink (no SR-IOV hardware here): a good reconcile, then one asking
//    for more VFs than the PF has (the kernel's ERANGE).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SriovController } from '../../../agent/src/sriov/sriov-controller.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import type { SriovPfConfig__Output } from '../../../proto/generated/index.js';
import { AgentProcess } from '../../harness/agent-process.js';
import { promtoolCheck, sample, scrape } from '../../harness/promtool.js';
import { SriovSysfsSimulation } from '../../harness/sriov-sim.js';
import { setDeviceFacts, simulatedTools } from '../../harness/sriov-sim-nic.js';
import { newBoard } from './status-fixtures.js';

let dir: string;
let agent: AgentProcess;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-agent-metrics-'));
  agent = await AgentProcess.start({ dataDir: path.join(dir, 'agent'), ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}` });
});

afterAll(async () => {
  await agent?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the agent daemon /metrics', () => {
  it('passes promtool check metrics, keeping the process metrics', async () => {
    const res = await scrape(`${agent.statusUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await promtoolCheck(res.body)).toEqual({ code: 0, problems: [] });
    const gaugesEndingTotal = [...res.body.matchAll(/^# TYPE (\S+_total) (\w+)$/gm)].filter((m) => m[2] !== 'counter');
    expect(gaugesEndingTotal.map((m) => m[1])).toEqual([]);
    // The per-type gauges stay (their sum is the dropped total), as do CPU, memory and event-loop lag.
    expect(res.body).toMatch(/^mooring_agent_nodejs_active_handles\{type="\w+"\} \d/m);
    expect(res.body).toMatch(/^mooring_agent_process_cpu_seconds_total \d/m);
    expect(res.body).toMatch(/^mooring_agent_nodejs_eventloop_lag_seconds \d/m);
    // No SR-IOV PF on this host: no per-PF series, and no reconcile failed.
    expect(sample(res.body, 'mooring_agent_sriov_last_reconcile_failed')).toBe(0);
    expect(res.body).not.toMatch(/^mooring_agent_sriov_vfs\{/m);
  });
});

describe('SR-IOV figures', () => {
  let sim: SriovSysfsSimulation;
  let store: AgentStore;

  beforeAll(async () => {
    sim = await SriovSysfsSimulation.create();
    await sim.addPf({
      netdev: 'ens1f0',
      bdf: '0000:3b:00.0',
      totalVfs: 8,
      enableLimit: 8,
      vfNetdevs: { mode: 'delayed', delayMs: 30 },
      switchdev: { switchId: 'beef', uplinkPortName: 'p0' },
      eswitchMode: 'legacy',
    });
    await setDeviceFacts(sim, '0000:3b:00.0', { vendorId: '0x15b3', deviceId: '0x101d', firmware: '22.39.1002' });
    store = AgentStore.open(path.join(dir, 'sriov-store'));
  });

  afterAll(async () => {
    await store?.close();
    await sim?.close();
  });

  it('shows VFs and the VF limit per PF, the eswitch mode, and counts failed reconciles', async () => {
    const board = newBoard();
    const metrics = new AgentMetrics(board);
    const tools = await simulatedTools(sim, { withoutNvConfig: true });
    const sriov = new SriovController(
      store,
      {
        sysfsRoot: sim.root,
        tools,
        writer: sim.writer,
        arch: 'x64',
        vfWaitTimeoutMs: 20_000,
        onReconciled: (failed) => metrics.sriovReconciled(failed),
      },
      pino({ level: 'silent' }),
      (report) => board.update((s) => ({ ...s, sriov: report })),
    );
    const pf = (p: Partial<SriovPfConfig__Output>): SriovPfConfig__Output => ({
      pf: 'ens1f0',
      numVfs: 0,
      eswitchMode: '',
      autoprobe: '',
      vfs: [],
      ...p,
    });

    await sriov.configure({ revision: 1, pfs: [pf({ numVfs: 4, eswitchMode: 'switchdev' })] });
    let text = await metrics.text();
    expect(sample(text, 'mooring_agent_sriov_vfs{pf="ens1f0"}')).toBe(4);
    expect(sample(text, 'mooring_agent_sriov_vfs_limit{pf="ens1f0"}')).toBe(8);
    expect(sample(text, 'mooring_agent_sriov_eswitch_mode{pf="ens1f0",mode="switchdev"}')).toBe(1);
    expect(sample(text, 'mooring_agent_sriov_eswitch_mode{pf="ens1f0",mode="legacy"}')).toBe(0);
    expect(sample(text, 'mooring_agent_sriov_reconciles_total{result="ok"}')).toBe(1);
    expect(sample(text, 'mooring_agent_sriov_reconciles_total{result="failed"}')).toBe(0);
    expect(sample(text, 'mooring_agent_sriov_last_reconcile_failed')).toBe(0);

    // More VFs than the PF's sriov_totalvfs: the kernel refuses the write (ERANGE).
    await expect(sriov.configure({ revision: 2, pfs: [pf({ numVfs: 12, eswitchMode: 'switchdev' })] })).rejects.toThrow();
    text = await metrics.text();
    expect(sample(text, 'mooring_agent_sriov_reconciles_total{result="failed"}')).toBe(1);
    expect(sample(text, 'mooring_agent_sriov_last_reconcile_failed')).toBe(1);
    expect(sample(text, 'mooring_agent_sriov_vfs_limit{pf="ens1f0"}')).toBe(8);
    expect(await promtoolCheck(text)).toEqual({ code: 0, problems: [] });
  });
});
