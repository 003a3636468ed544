// Original file: mooring/v1/sriov.proto


/**
 * AgentCommand kind 6: re-read everything and report (no change).
 */
export interface SriovRefresh {
}

/**
 * AgentCommand kind 6: re-read everything and report (no change).
 */
export interface SriovRefresh__Output {
}
