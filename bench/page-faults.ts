// Minor page faults of this process's Chromium renderers (Linux /proc; null elsewhere): on a VM
// where a fault costs ~10 µs, memory the page frees and touches again each step is a visible cost.
import { readdirSync, readFileSync } from 'node:fs';

function stat(pid: string): { ppid: number; minflt: number; cmd: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // fields after "pid (comm) "
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return { ppid: Number(f[1]), minflt: Number(f[7]), cmd };
  } catch {
    return null; // gone, or not Linux
  }
}

/** Sum of minor faults of every renderer process descended from this one, or null without /proc. */
export function rendererFaults(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const procs = new Map(pids.map((p) => [Number(p), stat(p)] as const));
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let sum = 0;
  for (const [pid, s] of procs) if (s?.cmd.includes('--type=renderer') && mine(pid)) sum += s.minflt;
  return sum;
}
