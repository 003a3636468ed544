// Per-VF settings as they travel in sriov.proto (SriovVfConfig.settings, a map of ip-link(8)
// keywords to text) and as moorctl takes them ("3:mac=52:54:00:12:34:56,vlan=10,trust=on"): one
// codec and one validator for both daemons, so the coordinator refuses exactly what the agent
// would refuse, before anything is stored or sent.

export type VfLinkState = 'auto' | 'enable' | 'disable';

/** What a VF should have; an absent key is left as it is. */
export interface VfSettings {
  mac?: string;
  vlan?: number;
  qos?: number;
  spoofchk?: boolean;
  trust?: boolean;
  state?: VfLinkState;
  maxTxRate?: number;
  minTxRate?: number;
}

/** Wire/CLI keyword -> field: the keywords are ip-link's own. */
const KEYWORDS: Record<string, keyof VfSettings> = {
  mac: 'mac',
  vlan: 'vlan',
  qos: 'qos',
  spoofchk: 'spoofchk',
  trust: 'trust',
  state: 'state',
  max_tx_rate: 'maxTxRate',
  min_tx_rate: 'minTxRate',
};
export const VF_SETTING_KEYWORDS = Object.keys(KEYWORDS);

const BOOL: Record<string, boolean> = { on: true, off: false, true: true, false: false };

/** Parses the wire map; problems name the keyword and the value. */
export function parseVfSettingsMap(map: Readonly<Record<string, string>>): { settings: VfSettings; problems: string[] } {
  const settings: VfSettings = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const field = KEYWORDS[key];
    const value = raw.trim();
    if (field === undefined) {
      problems.push(`unknown setting ${JSON.stringify(key)} (one of ${VF_SETTING_KEYWORDS.join(', ')})`);
      continue;
    }
    if (field === 'mac') settings.mac = value.toLowerCase();
    else if (field === 'state') settings.state = value as VfLinkState;
    else if (field === 'spoofchk' || field === 'trust') {
      const b = BOOL[value.toLowerCase()];
      if (b === undefined) problems.push(`${key} ${JSON.stringify(value)} is not on or off`);
      else settings[field] = b;
    } else if (/^\d+$/.test(value)) settings[field] = Number(value);
    else problems.push(`${key} ${JSON.stringify(value)} is not a whole number`);
  }
  return { settings, problems: [...problems, ...vfSettingsProblems(settings)] };
}

/** "3:mac=..,vlan=10,trust=on" -> VF 3 and its wire map. */
export function parseVfSettingsText(text: string): { vf: number; settings: Record<string, string> } {
  const m = /^(\d+):(.+)$/.exec(text.trim());
  if (!m) throw new Error(`${JSON.stringify(text)} is not VF:key=value[,key=value...] (e.g. 3:mac=52:54:00:12:34:56,vlan=10,trust=on)`);
  const settings: Record<string, string> = {};
  for (const pair of m[2]!.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${JSON.stringify(pair)} in ${JSON.stringify(text)} is not key=value`);
    settings[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { vf: Number(m[1]), settings };
}

/** What is wrong with a settings object, as messages naming the keyword; empty when valid. */
export function vfSettingsProblems(s: VfSettings): string[] {
  const p: string[] = [];
  if (s.mac !== undefined) {
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(s.mac)) p.push(`mac ${JSON.stringify(s.mac)} is not a MAC address like 52:54:00:12:34:56`);
    else if ((parseInt(s.mac.slice(0, 2), 16) & 1) === 1) p.push(`mac ${s.mac} is a multicast address`);
  }
  if (s.vlan !== undefined && !(Number.isInteger(s.vlan) && s.vlan >= 0 && s.vlan <= 4095))
    p.push(`vlan ${s.vlan} is not a VLAN id from 0 to 4095`);
  if (s.qos !== undefined && !(Number.isInteger(s.qos) && s.qos >= 0 && s.qos <= 7)) p.push(`qos ${s.qos} is not a priority from 0 to 7`);
  else if (s.qos !== undefined && s.qos !== 0 && (s.vlan ?? 0) === 0)
    p.push('qos needs a nonzero vlan in the same settings (ip link: vlan VID qos Q)');
  for (const [key, v] of [['max_tx_rate', s.maxTxRate] as const, ['min_tx_rate', s.minTxRate] as const]) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) p.push(`${key} ${v} is not a rate in Mbit/s`);
  }
  if (s.maxTxRate !== undefined && s.minTxRate !== undefined && s.maxTxRate !== 0 && s.minTxRate > s.maxTxRate)
    p.push(`min_tx_rate ${s.minTxRate} is above max_tx_rate ${s.maxTxRate}`);
  if (s.state !== undefined && !['auto', 'enable', 'disable'].includes(s.state))
    p.push(`state ${JSON.stringify(s.state)} is not auto, enable or disable`);
  return p;
}
