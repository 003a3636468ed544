// Errors of the command executor itself: commands it cannot run at all.

import { AgentError } from '../common/agent-error.js';

/** The command's kind is none this agent runs (or SR-IOV commands where no SR-IOV side is wired). */
export class UnknownCommandError extends AgentError {
  readonly code = 'unknown-command';
  constructor(kind: string | undefined) {
    super(
      `unknown command ${kind ?? '(none)'}; this agent understands bindPort, unbindPort, reconcilePorts, sriovConfigure, ` +
        'sriovRefresh and, on VM hosts, the lxd* commands',
    );
  }
}

/** An LXD command sent to an agent that is not a VM host. */
export class LxdUnsupportedError extends AgentError {
  readonly code = 'lxd-unsupported';
  constructor() {
    super('LXD commands go to VM host agents; this agent does not manage LXD (role smartnic)');
  }
}
