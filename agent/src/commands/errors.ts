// Errors of the command executor itself: commands it cannot run at all.

import { AgentError } from '../common/agent-error.js';

export class UnknownCommandError extends AgentError {
  readonly code = 'unknown-command';
  constructor(kind: string | undefined) {
    super(`unknown command ${kind ?? '(none)'}; this agent understands bindPort, unbindPort, reconcilePorts, sriovConfigure, sriovRefresh and, on VM hosts, the lxd* commands`);
  }
}

export class LxdUnsupportedError extends AgentError {
  readonly code = 'lxd-unsupported';
  constructor() {
    super('LXD commands go to VM host agents; this agent does not manage LXD (role smartnic)');
  }
}
