// The agent's version: the package's (proto/shared/package-version.ts).
export { PACKAGE_VERSION as AGENT_VERSION } from '../../proto/shared/package-version.js';
