// A full disk under the cache: .phoenix-cache on a small tmpfs, filled up to
// a few levels of free space, then `phx build` after an edit. Wherever the
// write fails (the lock, LMDB, a log, an artifact), phx exits 1 with "no
// space left in <dir>" (or, where LMDB's sync after the full write fails,
// "could not write the cache in <dir>"), naming the target when one was
// building, never a stack trace nor a crash from lmdb's stray rejections;
// once space is freed, `cache rebuild`, a build and a no-op plan work.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { Rig } from '../helpers/rig.ts';
import { missing } from '../helpers/require.ts';

const skip = missing({ root: true, tools: ['mount', 'umount'] });

test('a full disk under the cache is "no space left in <dir>", and the cache works once space is back', async () => {
  if (skip) return;
  const rig = Rig.create();
  const cache = rig.path('.phoenix-cache');
  const good = rig.path('good-cache');
  try {
    const built = await rig.phx(['build', '--all']);
    assert.is(built.code, 0, built.stderr);
    cpSync(cache, good, { recursive: true });
    let tried = 0;
    let refused = 0;
    let fitted = 0;
    let named = 0;
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', cache]);
    try {
      cpSync(good, cache, { recursive: true });
      // Free space from none (the lock cannot be written) to enough for the
      // lock but not the log or the record, to enough for everything.
      for (const leaveKiB of [0, 4, 8, 12, 16, 20, 24, 32, 64]) {
        rmSync(`${cache}/filler`, { force: true });
        fill(cache, leaveKiB * 1024);
        rig.append('features/nginx/install.sh', `\n# disk full, ${leaveKiB} KiB left\n`);
        const r = await rig.phx(['build']);
        tried++;
        const label = `${leaveKiB} KiB left: exit ${r.code}\n${r.stderr}`;
        assert.not.match(r.stderr, /internal error|\bat .*\.js:\d+|ENOSPC/, label);
        if (r.code === 0) {
          fitted++;
          continue;
        }
        assert.is(r.code, 1, label);
        const dir = cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        assert.match(
          r.stderr,
          new RegExp(`(no space left in|could not write the cache in) ${dir}`),
          label,
        );
        if (/ in \S+ while building lxc\/\d+\/feature\/nginx/.test(r.stderr)) named++;
        refused++;
      }
      rmSync(`${cache}/filler`);
      const rebuilt = await rig.phx(['cache', 'rebuild']);
      assert.is(rebuilt.code, 0, `rebuild: ${rebuilt.stderr}`);
      const again = await rig.phx(['build']);
      assert.is(again.code, 0, `build after: ${again.stderr}`);
      const noop = await rig.phx(['plan']);
      assert.match(noop.stdout, /Nothing to build/, `plan after: ${noop.stdout}`);
    } finally {
      execFileSync('umount', [cache]);
    }
    process.stdout.write(
      `disk full: ${tried} levels tried, ${tried} survived (${refused} exit 1 with "no space left", ${named} of them naming the target; ${fitted} fitted)\n`,
    );
    assert.ok(refused > 0, 'some level must run out of space');
    assert.ok(named > 0, 'some level must run out while the target builds');
  } finally {
    rig.cleanup();
  }
});

/** Fill the file system under dir until only `leave` bytes are free. */
function fill(dir: string, leave: number): void {
  const s = statfsSync(dir);
  const free = s.bavail * s.bsize;
  const size = Math.max(0, free - leave);
  try {
    writeFileSync(`${dir}/filler`, Buffer.alloc(size));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
}

test.run();
