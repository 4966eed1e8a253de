// Whether a process of this machine still exists: how phx tells a stale
// lock, run folder or staged copy (named for the pid that made it) from a
// live one.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
