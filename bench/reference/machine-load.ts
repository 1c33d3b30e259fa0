/**
 * What the rest of the machine did during a benchmark phase: CPU time of every process (from /proc/stat)
 * less that of this benchmark's own processes (from /proc/PID/stat), so that a noisy measurement says so.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Linux reports CPU times in USER_HZ ticks, fixed at 100 per second by the kernel ABI on x86. */
const TICKS_PER_SECOND = 100;

/** CPU counters at one moment. */
export interface CpuSnapshot {
  /** performance.now() when taken, ms. */
  at: number;
  /** Ticks all CPUs spent busy (user, nice, system, irq, softirq), and stolen by the hypervisor. */
  busy: number;
  steal: number;
  /** Ticks of each of our processes (user + system, all threads). */
  own: Map<number, number>;
  /** 1-minute load average. */
  load1: number;
}

/** CPU use over a phase, in core-seconds (1 = one core busy for one second). */
export interface PhaseLoad {
  wallS: number;
  /** All processes on the machine. */
  busyCoreS: number;
  /** This benchmark's processes (node and the torch workers). */
  ownCoreS: number;
  /** Everything else: other users' tests and builds. */
  otherCoreS: number;
  /** Time the hypervisor gave to other guests while we wanted the CPU. */
  stealCoreS: number;
  load1Before: number;
  load1After: number;
}

function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Reads the counters now, for the machine and for `pids`. */
export function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const first = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).slice(1).map(Number);
  return {
    at: performance.now(),
    busy: user! + nice! + system! + irq! + softirq!,
    steal: steal ?? 0,
    own: new Map(pids.map((pid) => [pid, processTicks(pid)])),
    load1: loadavg()[0]!,
  };
}

/** The CPU use between two snapshots of the same processes. */
export function phaseLoad(before: CpuSnapshot, after: CpuSnapshot): PhaseLoad {
  let own = 0;
  for (const [pid, ticks] of after.own) own += ticks - (before.own.get(pid) ?? ticks);
  const busy = after.busy - before.busy;
  return {
    wallS: (after.at - before.at) / 1000,
    busyCoreS: busy / TICKS_PER_SECOND,
    ownCoreS: own / TICKS_PER_SECOND,
    otherCoreS: Math.max(0, busy - own) / TICKS_PER_SECOND,
    stealCoreS: (after.steal - before.steal) / TICKS_PER_SECOND,
    load1Before: before.load1,
    load1After: after.load1,
  };
}

/** The machine's busy and total CPU ticks so far (Linux /proc/stat; undefined elsewhere). */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Cores the machine kept busy on average between two {@link machineTicks} readings (undefined if unknown). */
export function busyCoresBetween(
  before: ReturnType<typeof machineTicks>,
  after: ReturnType<typeof machineTicks>,
  cores: number,
): number | undefined {
  if (before === undefined || after === undefined || after.total === before.total) return undefined;
  return (cores * (after.busy - before.busy)) / (after.total - before.total);
}
