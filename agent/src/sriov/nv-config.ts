// NVIDIA firmware configuration queries (protocol-facts 3.4): `mlxconfig -e -d <BDF> q PARAM...`
// or `mstconfig -e -d <BDF> q PARAM...` (the same syntax, from the open-source mstflint). With -e
// the table has Default, Current and Next Boot columns; values print as NAME(number), e.g.
// "EMBEDDED_CPU(1)"; a '*' in the first column marks a parameter whose next-boot value differs.
// Changes apply only after a reboot or power cycle, so current and next boot are both reported.

import { ToolFailedError, ToolMissingError, ToolTimeoutError, type SriovTools } from './tool-runner.js';

export const BLUEFIELD_MODE_PARAMS = [
  'INTERNAL_CPU_MODEL',
  'INTERNAL_CPU_PAGE_SUPPLIER',
  'INTERNAL_CPU_ESWITCH_MANAGER',
  'INTERNAL_CPU_IB_VPORT0',
  'INTERNAL_CPU_OFFLOAD_ENGINE',
] as const;
export interface NvParam {
  default: string | null;
  current: string;
  nextBoot: string;
}

export interface NvConfigQuery {
  deviceType: string | null;
  description: string | null;
  params: Record<string, NvParam>;
}

export type NvConfigAnswer =
  | { kind: 'answered'; program: string; query: NvConfigQuery }
  /** The tool ran and refused (no such device, a restricted host, no access). */
  | { kind: 'refused'; program: string; reason: string }
  /** No tool configured or installed. */
  | { kind: 'absent'; reason: string };

/** The value's name without its number: "EMBEDDED_CPU(1)" -> "EMBEDDED_CPU". */
export function nvValueName(value: string): string {
  return value.replace(/\(\d+\)$/, '');
}

export function parseNvConfigQuery(stdout: string): NvConfigQuery {
  const field = (label: string): string | null => {
    const m = new RegExp(`^\\s*${label}:\\s*(.+?)\\s*$`, 'm').exec(stdout);
    return m ? m[1]! : null;
  };
  const params: Record<string, NvParam> = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s*\*?\s*([A-Z][A-Z0-9_]+(?:\[\d+\])?)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?\s*$/.exec(line);
    if (!m || m[1] === 'Configurations') continue;
    const cols = [m[2], m[3], m[4]].filter((c): c is string => c !== undefined);
    // -e: Default Current Next; without -e only Next Boot is printed.
    if (cols.length === 3) params[m[1]!] = { default: cols[0]!, current: cols[1]!, nextBoot: cols[2]! };
    else if (cols.length === 1) params[m[1]!] = { default: null, current: cols[0]!, nextBoot: cols[0]! };
  }
  return { deviceType: field('Device type'), description: field('Description'), params };
}

/** Queries the BlueField mode parameters of one PCI device. */
export async function queryNvConfig(tools: SriovTools, pci: string): Promise<NvConfigAnswer> {
  if (tools.nvConfig === null) return { kind: 'absent', reason: 'no mlxconfig/mstconfig configured' };
  const program = tools.nvConfig;
  try {
    const { stdout } = await tools.runner.run(program, ['-e', '-d', pci, 'q', ...BLUEFIELD_MODE_PARAMS], tools.timeoutMs);
    return { kind: 'answered', program, query: parseNvConfigQuery(stdout) };
  } catch (err) {
    if (err instanceof ToolMissingError) return { kind: 'absent', reason: err.message };
    if (err instanceof ToolFailedError || err instanceof ToolTimeoutError)
      return { kind: 'refused', program, reason: err instanceof ToolFailedError ? err.reason : err.message };
    throw err;
  }
}
