// Where an image deploy's time went, from the coordinator's event log: the deploy sequence's
// timeline (bench/sequence/timeline.ts: wall time, each step's durationMs, the gaps between steps)
// and the boot service's events for the ramdisk (boot.started, boot.progress with the ramdisk's
// step, boot.succeeded), all stamped by the coordinator's clock.
//
//   firmware   from the power-on into the network boot (the restore-on step's stamp) to the
//              ramdisk's first report: SeaBIOS, iPXE's DHCP, the kernel and initrd downloads, the
//              kernel's boot
//   transfer   the ramdisk's disk step to its download step: the image downloaded and written
//              (wget | dd, conv=fsync), so it includes the write
//   verify     the download step's report to the verify step's: the image read back from the disk
//              and hashed (packaging/ramdisk/README.md "What deploy does")
//   write      the download step's report to the ramdisk's success: verify and the NoCloud seed
//   firstBoot  the wait-first-boot step: power-on from disk to the phone-home
//   overhead   the wall time no step accounts for: the sequencer's writes and the gaps between
//              steps (Mooring's own), summed
import { deployTimelines, type BenchEvent } from '../sequence/timeline.js';

export interface DeployPhases {
  readonly machineId: string;
  readonly wallMs: number;
  readonly firmwareMs: number;
  readonly transferMs: number;
  readonly verifyMs: number;
  readonly writeMs: number;
  readonly firstBootMs: number;
  readonly overheadMs: number;
}

/** One DeployPhases per machine whose image deploy reached DEPLOYED within `events`; throws naming a missing event. */
export function deployPhases(events: readonly BenchEvent[]): DeployPhases[] {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  return deployTimelines(sorted)
    .filter((t) => t.outcome === 'DEPLOYED')
    .map((t) => {
      const mine = sorted.filter((e) => e.machineId === t.machineId && e.timeMs >= t.startedAtMs && e.timeMs <= t.endedAtMs);
      const at = (what: string, match: (e: BenchEvent) => boolean): number => {
        const found = mine.find(match);
        if (!found) throw new Error(`machine ${t.machineId}: no ${what} event in its deploy`);
        return found.timeMs;
      };
      const progress = (step: string) => (e: BenchEvent) => e.kind === 'boot.progress' && e.details['ramdiskStep'] === step;
      const restoreOn = at('restore-on step', (e) => e.kind === 'sequence.step' && e.details['step'] === 'restore-on');
      const firstReport = at('ramdisk progress', (e) => e.kind === 'boot.progress');
      const disk = at('ramdisk disk', progress('disk'));
      const download = at('ramdisk download', progress('download'));
      const verified = at('ramdisk verify', progress('verify'));
      const written = at('image written (boot.succeeded)', (e) => e.kind === 'boot.succeeded' && e.timeMs >= download);
      const gaps = Object.values(t.gapBeforeMs).reduce((sum, ms) => sum + ms, 0);
      return {
        machineId: t.machineId,
        wallMs: t.wallMs,
        firmwareMs: firstReport - restoreOn,
        transferMs: download - disk,
        verifyMs: verified - download,
        writeMs: written - download,
        firstBootMs: t.stepMs['wait-first-boot'] ?? NaN,
        overheadMs: gaps,
      };
    });
}
