// CPU sets as LXD writes limits.cpu when pinned ("0-3", "0,2,5-7"): read by the VM host agent
// (instance limits) and the coordinator (compose placement), so both agree on what a set is.

/** The CPU ids of a set ("0-3,6"), sorted and unique; null when it is not a set. */
export function parseCpuSet(v: string): number[] | null {
  const ids = new Set<number>();
  for (const part of v.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 4096) return null;
    for (let i = from; i <= to; i++) ids.add(i);
  }
  return [...ids].sort((a, b) => a - b);
}

/** A CPU set in LXD's compact form: [0,1,2,3,6] -> "0-3,6". */
export function formatCpuSet(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(',');
}
