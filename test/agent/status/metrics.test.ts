// Agent metrics: recorded series, series derived from the StatusBoard, and registry isolation.
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import { makeReady, newBoard, port } from './status-fixtures.js';

describe('AgentMetrics', () => {
  it('derives session, OVSDB, readiness and port series from the StatusBoard at scrape time', async () => {
    const board = newBoard();
    const m = new AgentMetrics(board);
    let text = await m.text();
    expect(text).toContain('mooring_agent_session_state{state="connecting"} 1');
    expect(text).toContain('mooring_agent_session_state{state="online"} 0');
    expect(text).toContain('mooring_agent_ovsdb_state{state="connecting"} 1');
    expect(text).toContain('mooring_agent_ready 0');
    expect(text).toContain('mooring_agent_session_epoch 0');
    expect(text).toContain('mooring_agent_last_heartbeat_timestamp_seconds 0');
    expect(text).toContain('mooring_agent_ports{state="active"} 0');
    expect(text).toContain('mooring_agent_info{version="0.1.0",role="smartnic",agent_id="agent-nic-7"} 1');

    makeReady(board, 9);
    board.update((s) => ({
      ...s,
      ports: [port(1, 'active'), port(2, 'active'), port(3, 'pending'), port(4, 'error'), port(5, 'active', false)],
    }));
    text = await m.text();
    expect(text).toContain('mooring_agent_session_state{state="online"} 1');
    expect(text).toContain('mooring_agent_session_state{state="connecting"} 0');
    expect(text).toContain('mooring_agent_ovsdb_state{state="connected"} 1');
    expect(text).toContain('mooring_agent_session_epoch 9');
    expect(text).toContain(`mooring_agent_last_heartbeat_timestamp_seconds ${Date.parse('2026-11-21T00:00:05.000Z') / 1000}`);
    expect(text).toContain('mooring_agent_ready 1');
    // Only owned ports count.
    expect(text).toContain('mooring_agent_ports{state="active"} 2');
    expect(text).toContain('mooring_agent_ports{state="pending"} 1');
    expect(text).toContain('mooring_agent_ports{state="error"} 1');
  });

  it('counts commands by kind and result, with durations when given', async () => {
    const m = new AgentMetrics(newBoard());
    m.commandFinished('bind-port', 'ok', 120);
    m.commandFinished('bind-port', 'ok');
    m.commandFinished('bind-port', 'timeout', 10_000);
    m.commandFinished('unbind-port', 'duplicate');
    const text = await m.text();
    expect(text).toContain('mooring_agent_commands_total{kind="bind-port",result="ok"} 2');
    expect(text).toContain('mooring_agent_commands_total{kind="bind-port",result="timeout"} 1');
    expect(text).toContain('mooring_agent_commands_total{kind="unbind-port",result="duplicate"} 1');
    expect(text).toContain('mooring_agent_command_duration_seconds_count{kind="bind-port"} 2');
    expect(text).toContain('mooring_agent_command_duration_seconds_bucket{le="0.25",kind="bind-port"} 1');
  });

  it('counts reconnects per peer, starting at zero', async () => {
    const m = new AgentMetrics(newBoard());
    expect(await m.text()).toContain('mooring_agent_reconnects_total{peer="coordinator"} 0');
    m.reconnected();
    m.reconnected();
    m.reconnected('ovsdb');
    const text = await m.text();
    expect(text).toContain('mooring_agent_reconnects_total{peer="coordinator"} 2');
    expect(text).toContain('mooring_agent_reconnects_total{peer="ovsdb"} 1');
  });

  it('records OVSDB request latency in a seconds histogram', async () => {
    const m = new AgentMetrics(newBoard());
    m.ovsdbLatency(0.8);
    m.ovsdbLatency(3);
    m.ovsdbLatency(40, 'monitor_cond');
    const text = await m.text();
    expect(text).toContain('# TYPE mooring_agent_ovsdb_request_duration_seconds histogram');
    expect(text).toContain('mooring_agent_ovsdb_request_duration_seconds_bucket{le="0.001",method="transact"} 1');
    expect(text).toContain('mooring_agent_ovsdb_request_duration_seconds_bucket{le="0.005",method="transact"} 2');
    expect(text).toContain('mooring_agent_ovsdb_request_duration_seconds_count{method="transact"} 2');
    expect(text).toContain('mooring_agent_ovsdb_request_duration_seconds_count{method="monitor_cond"} 1');
  });

  it('keeps each agent in its own registry, never the global one', async () => {
    const a = new AgentMetrics(newBoard());
    const b = new AgentMetrics(newBoard());
    a.reconnected();
    expect(await b.text()).toContain('mooring_agent_reconnects_total{peer="coordinator"} 0');
    expect(await globalRegistry.metrics()).not.toContain('mooring_agent_');
  });

  it('adds Node process metrics when asked', async () => {
    const m = new AgentMetrics(newBoard(), { processMetrics: true });
    expect(await m.text()).toContain('mooring_agent_process_resident_memory_bytes');
    expect(await new AgentMetrics(newBoard()).text()).not.toContain('process_resident_memory_bytes');
  });
});
