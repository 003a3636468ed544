import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { initialAgentStatus } from '../../../agent/src/status/initial-status.js';
import { StatusBoard } from '../../../agent/src/status/status-board.js';

describe('initialAgentStatus', () => {
  it('starts disconnected, with the link disabled when no coordinator is configured', async () => {
    const config = await loadAgentConfig({ env: {}, flags: { role: 'vmhost', bridge: 'br-t' } });
    const s = initialAgentStatus(config, { agentId: null, version: '1.2.3', startedAt: new Date(0) });
    expect(s).toEqual({
      agentId: null,
      version: '1.2.3',
      role: 'vmhost',
      coordinator: {
        address: null,
        state: 'disabled',
        epoch: null,
        reason: 'no coordinator configured',
        lastHeartbeatAt: null,
        resumeAt: null,
      },
      ovsdb: {
        remote: 'unix:/run/openvswitch/db.sock',
        // A VM host with no OVSDB remote configured: readiness does not wait for OVSDB.
        required: false,
        state: 'connecting',
        reason: null,
        bridge: 'br-t',
        ovsVersion: null,
        ovnRemote: '',
        ovnChassis: '',
      },
      ports: [],
      sriov: null,
      lxd: null,
      startedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(new StatusBoard(s).readiness()).toEqual({
      ready: false,
      reasons: ['coordinator session is disabled: no coordinator configured'],
    });
  });

  it('connects to the configured coordinator', async () => {
    const config = await loadAgentConfig({ env: { MOORING_AGENT_COORDINATOR: 'coord:7443', MOORING_AGENT_CA_FILE: '/dev/null' } });
    const s = initialAgentStatus(config, { agentId: 'a-1', version: '0.1.0' });
    expect(s.coordinator).toMatchObject({ address: 'coord:7443', state: 'connecting', reason: null });
    expect(s.agentId).toBe('a-1');
  });
});
