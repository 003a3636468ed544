// What `vmhost show` says of other projects (pure): their usage as the agent counted it (running
// instances, stopped ones named as not counted), unknown with a restricted certificate, nothing
// before a report.
import { describe, expect, it } from 'vitest';
import { otherProjectsText } from '../../../coordinator/src/cli/vmhost-commands.js';
import { GIB, report, resources } from './lxd-report.js';

describe('vmhost show: other projects', () => {
  it('says unknown when the agent’s certificate is restricted', () => {
    const r = report('tenant', [], {
      resources: resources({ other: null, otherUsage: 'LXD_OTHER_USAGE_UNKNOWN', otherUsageNote: 'LXD refuses' }),
    });
    expect(otherProjectsText(r, 'tenant')).toBe('unknown (restricted certificate): cores and memory used count project tenant only');
  });

  it('says what running instances hold and how many stopped ones are not counted', () => {
    const other = { cores: 3, memoryBytes: GIB, hugepageMemoryBytes: GIB, instances: 4, uncountedInstances: 2 };
    expect(otherProjectsText(report('p', [], { resources: resources({ other }) }), 'p')).toBe(
      '3 cores, 2 GiB in 2 running instances, 2 stopped not counted',
    );
    const one = { cores: 1, memoryBytes: GIB, hugepageMemoryBytes: 0, instances: 1, uncountedInstances: 0 };
    expect(otherProjectsText(report('p', [], { resources: resources({ other: one }) }), 'p')).toBe('1 core, 1 GiB in 1 running instance');
    expect(otherProjectsText(report('p', []), 'p')).toBe('none');
    expect(otherProjectsText(null, 'p')).toBe('no report yet');
  });
});
