// The session's reply cutter, fed ipmitool's stdout split at every position.
import { describe, expect, it } from 'vitest';
import { commandErrors, sentinelFor, SessionTranscript } from '../../../coordinator/src/power/ipmi/session-transcript.js';

// What `chassis power status`, `echo S1`, `raw ...` (an empty response), `echo S2` print under exec.
const STDOUT = `Chassis Power is on\n${sentinelFor(1)} \n\n${sentinelFor(2)} \n`;

describe('SessionTranscript', () => {
  it('hands out each reply whole, wherever the chunks split', () => {
    for (let cut = 0; cut <= STDOUT.length; cut++) {
      for (let second = cut; second <= STDOUT.length; second++) {
        const transcript = new SessionTranscript();
        const replies: string[] = [];
        let waiting = 1;
        for (const chunk of [STDOUT.slice(0, cut), STDOUT.slice(cut, second), STDOUT.slice(second)]) {
          transcript.push(chunk);
          for (let reply = transcript.take(sentinelFor(waiting)); reply !== null; reply = transcript.take(sentinelFor(waiting))) {
            replies.push(reply);
            waiting++;
          }
        }
        expect(replies, `cut at ${cut} and ${second}`).toEqual(['Chassis Power is on\n', '\n']);
        expect(transcript.pendingLength).toBe(0);
      }
    }
  });

  it('does not take a line that only contains the sentinel, nor an earlier command’s', () => {
    const transcript = new SessionTranscript();
    transcript.push(`x ${sentinelFor(3)}\n${sentinelFor(2)} \n`);
    expect(transcript.take(sentinelFor(3))).toBeNull();
    expect(transcript.take(sentinelFor(2))).toBe(`x ${sentinelFor(3)}\n`);
  });
});

describe('commandErrors', () => {
  it('drops what raw logs at -v on success and keeps every failure line', () => {
    expect(commandErrors('RAW REQ (channel=0x0 netfn=0x0 lun=0x0 cmd=0x8 data_len=2)\nRAW RSP (0 bytes)\n')).toBe('');
    const failed =
      'RAW REQ (channel=0x0 netfn=0x0 lun=0x0 cmd=0x8 data_len=1)\nUnable to send RAW command (rsp=0xcc): Invalid data field in request\n';
    expect(commandErrors(failed)).toBe('Unable to send RAW command (rsp=0xcc): Invalid data field in request');
    expect(commandErrors('Set Chassis Power Control to Up/On failed: Node busy\n')).toBe(
      'Set Chassis Power Control to Up/On failed: Node busy',
    );
  });
});
