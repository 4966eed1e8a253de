// When a process started, in ms since the epoch, from /proc: its start time
// in clock ticks since boot (/proc/<pid>/stat field 22) plus the boot time
// (/proc/stat `btime`). The ctime of /proc/<pid> is not it: that inode is
// made when first looked at. USER_HZ is 100 on every Linux ABI phx runs on.
import { readFile } from 'node:fs/promises';

const USER_HZ = 100;

export async function processStartMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 overall: 3 is fields[0]
    const btime = /^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8'));
    if (!Number.isFinite(ticks) || !btime) return undefined;
    return Number(btime[1]) * 1000 + (ticks * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}
