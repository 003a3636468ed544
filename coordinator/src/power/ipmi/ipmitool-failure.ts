// What a failed ipmitool run means, read once from its stderr (run with -v, see ipmitool-args.ts).
// Strings follow ipmitool 1.8.19: src/plugins/lanplus/lanplus.c (session setup, RAKP status codes
// from lib/ipmi_strings.c ipmi_rakp_return_codes) and lib/ipmi_chassis.c ("... failed: <completion
// code text>", or "Unable to ..." when no response came back).

export type IpmitoolFailure =
  /** The BMC refused the user, the password or the privilege: retrying cannot help. */
  | { readonly type: 'auth'; readonly problem: string }
  /** The BMC refused the session for another reason, usually the cipher suite. */
  | { readonly type: 'session-refused'; readonly problem: string }
  /**
   * No answer, or the BMC said it is busy. `commandMayHaveRun` is false when the failure came
   * before the command was sent (session setup), so even a non-idempotent command can be resent.
   */
  | { readonly type: 'transient'; readonly problem: string; readonly commandMayHaveRun: boolean }
  /** The BMC answered the command with an error completion code (null when ipmitool gave no text). */
  | { readonly type: 'completion'; readonly completionCode: number | null; readonly completion: string };

/** ipmitool's completion_code_vals (lib/ipmi_strings.c), IPMI v2.0 table 5-2. */
const COMPLETION_CODES: ReadonlyArray<readonly [number, RegExp]> = [
  [0xc0, /^Node busy/i],
  [0xc1, /^Invalid command$/i],
  [0xc2, /^Invalid command on LUN/i],
  [0xc3, /^Timeout/i],
  [0xc4, /^Out of space/i],
  [0xc5, /^Reservation cancelled/i],
  [0xc6, /^Request data truncated/i],
  [0xc7, /^Request data length invalid/i],
  [0xc8, /^Request data field length limit exceeded/i],
  [0xc9, /^Parameter out of range/i],
  [0xca, /^Cannot return number of requested data bytes/i],
  [0xcb, /^Requested sensor, data, or record not/i],
  [0xcc, /^Invalid data field in request/i],
  [0xcd, /^Command illegal for specified sensor/i],
  [0xce, /^Command response could not be provided/i],
  [0xcf, /^Cannot execute duplicated request/i],
  [0xd0, /^SDR Repository in update mode/i],
  [0xd1, /^Device firme?ware in update mode/i],
  [0xd2, /^BMC initialization in progress/i],
  [0xd3, /^Destination unavailable/i],
  [0xd4, /^Insufficient privi/i],
  [0xd5, /^Command not supported in present state/i],
  [0xff, /^Unspecified error/i],
];

/** Busy or not ready: the BMC refused to start the command; it may accept it later. */
const REFUSED_CODES = new Set([0xc0, 0xd0, 0xd1, 0xd2]);
/** Timed out or no response inside the BMC: transient too, but the command may have been carried out. */
const UNSETTLED_CODES = new Set([0xc3, 0xce, 0xd3]);
const PRIVILEGE_CODE = 0xd4;

// ipmitool -v prints this for its own Get VSO Capabilities probe, also when the command succeeds.
const PROBE_NOISE = /^Invalid completion code received: Invalid command$/;

export function classifyIpmitoolFailure(stderr: string): IpmitoolFailure {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^[>\s]+/, '').trim())
    .filter((line) => line !== '' && !PROBE_NOISE.test(line));
  const text = lines.join('\n');
  if (/Unable to establish IPMI v2 \/ RMCP\+ session|does not support IPMI v2/.test(text)) return sessionFailure(text);
  for (const line of lines) {
    const completion = completionFailure(line);
    if (completion) return completion;
  }
  const noAnswer = lines.find((line) => /^(Unable to |Error setting|Error sending|Error Getting|No response)|no response/i.test(line));
  if (noAnswer) return { type: 'transient', problem: `no answer from the BMC (${noAnswer})`, commandMayHaveRun: true };
  return { type: 'completion', completionCode: null, completion: lines.at(-1) ?? 'ipmitool failed without a message' };
}

function sessionFailure(text: string): IpmitoolFailure {
  if (/RAKP 2 HMAC is invalid/.test(text)) {
    return { type: 'auth', problem: 'the password was rejected (RAKP 2 HMAC is invalid)' };
  }
  if (/RAKP 4 message has invalid integrity check value/.test(text)) {
    return { type: 'auth', problem: 'the password was rejected (RAKP 4 integrity check failed)' };
  }
  const status = /(?:RAKP [24] message indicates an error|Error in open session response message) : (.+)/.exec(text)?.[1]?.trim();
  if (status) {
    if (/insufficient resources/i.test(status)) {
      return { type: 'transient', problem: `the BMC has no free session (${status})`, commandMayHaveRun: false };
    }
    if (/unauthorized|invalid role|invalid integrity check value|invalid name length/i.test(status)) {
      return { type: 'auth', problem: status };
    }
    return { type: 'session-refused', problem: status };
  }
  if (/does not support IPMI v2/.test(text)) return { type: 'session-refused', problem: 'the BMC does not support IPMI v2 / RMCP+' };
  const detail = /Get Auth Capabilities error|Error issuing Get Channel Authentication|Timeout in open session|no response from RAKP/i.exec(
    text,
  );
  return {
    type: 'transient',
    problem: detail ? `no answer from the BMC (${detail[0]})` : 'could not establish an IPMI v2 / RMCP+ session',
    commandMayHaveRun: false,
  };
}

function completionFailure(line: string): IpmitoolFailure | null {
  // `raw`: "Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x9 rsp=0xcc): Invalid data field in request"
  const raw = /rsp=0x([0-9a-f]{1,2})\):\s*(.*)$/i.exec(line);
  // Named commands: "Set Chassis Power Control to Cycle failed: Node busy"
  const named = raw ? null : /failed: (.+)$/.exec(line);
  if (!raw && !named) return null;
  const completion = (raw ? raw[2] : named?.[1])?.trim() ?? '';
  const code = raw ? parseInt(raw[1]!, 16) : (COMPLETION_CODES.find(([, pattern]) => pattern.test(completion))?.[0] ?? null);
  if (code === PRIVILEGE_CODE) return { type: 'auth', problem: `insufficient privilege (${completion})` };
  if (code !== null && (REFUSED_CODES.has(code) || UNSETTLED_CODES.has(code))) {
    return { type: 'transient', problem: `the BMC answered "${completion}"`, commandMayHaveRun: UNSETTLED_CODES.has(code) };
  }
  return { type: 'completion', completionCode: code, completion: completion || line };
}
