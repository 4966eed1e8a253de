// lxc-snapshot of a directory-backed container copies the rootfs with rsync,
// which Debian's lxc only recommends. Without rsync on PATH, the lxc backend
// must say "rsync", not "lxc-snapshot exited 1". PATH here is a folder of
// symlinks to every tool on the real PATH except rsync. The first test needs
// no lxc (it checks before spawning); the second runs real containers, and
// first shows that lxc-snapshot really fails without rsync.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpError } from '../../src/core/failure.ts';
import { runLxcSnapshot } from '../../src/backends/lxc/snapshots.ts';
import { opContext, type TestOpContext } from '../contract/op-context.ts';
import { lxcMissing, makeLxcHarness } from './lxc-harness.ts';

const realPath = process.env.PATH ?? '';
const work = mkdtempSync(join(tmpdir(), 'phx-norsync-'));
test.after(() => {
  process.env.PATH = realPath;
  rmSync(work, { recursive: true, force: true });
});

/** A PATH with every tool the real one has, except rsync. */
function pathWithoutRsync(): string {
  const bin = join(work, 'bin');
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  for (const dir of realPath.split(delimiter)) {
    if (dir === '' || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === 'rsync' || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}

async function failure(p: Promise<unknown>): Promise<OpError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    return e as OpError;
  }
  throw new Error('expected the operation to fail');
}

function expectRsyncNamed(e: OpError, ctx: TestOpContext): void {
  assert.equal(e.failure, { type: 'missing-tool', tool: 'rsync' });
  assert.is(e.message, 'rsync is not installed');
  assert.ok(
    ctx.lines.some((l) => /lxc-snapshot copies a directory-backed rootfs with rsync/.test(l)),
    ctx.lines.join('\n'),
  );
}

test('without rsync, a dir-backed snapshot, restore or clone names rsync before lxc-snapshot runs', async () => {
  const config = join(work, 'config');
  writeFileSync(config, 'lxc.rootfs.path = dir:/var/lib/lxc/960/rootfs\n');
  process.env.PATH = pathWithoutRsync();
  try {
    for (const args of [
      ['-c', '/tmp/comment'],
      ['-r', 'snap0', '-N', '960'],
      ['-r', 'snap0', '-N', '961'],
    ]) {
      const ctx = opContext(960, 'snapshot');
      const e = await failure(runLxcSnapshot(['lxc-snapshot', '-n', '960', ...args], config, ctx));
      expectRsyncNamed(e, ctx);
      assert.equal(ctx.commands, [], 'lxc-snapshot not run');
    }
    // Deleting a snapshot copies nothing: no rsync needed, so the command itself runs (and fails here on a missing CT or tool).
    const ctx = opContext(960, 'snapshot');
    const del = await failure(
      runLxcSnapshot(['lxc-snapshot', '-n', '960', '-d', 'snap0'], config, ctx),
    );
    assert.not.equal(del.failure, { type: 'missing-tool', tool: 'rsync' });
    assert.is(ctx.commands.length, 1);
    // A zfs-backed rootfs is copied by zfs, not rsync.
    writeFileSync(config, 'lxc.rootfs.path = zfs:tank/ct/960\n');
    const zctx = opContext(960, 'snapshot');
    const z = await failure(
      runLxcSnapshot(['lxc-snapshot', '-n', '960', '-c', '/x'], config, zctx),
    );
    assert.not.equal(z.failure, { type: 'missing-tool', tool: 'rsync' });
  } finally {
    process.env.PATH = realPath;
  }
});

test('real containers: lxc-snapshot fails without rsync, and the backend names rsync', async () => {
  const skip = lxcMissing();
  if (skip !== undefined) {
    console.log(`skipped: ${skip}`);
    return;
  }
  const h = await makeLxcHarness('phxtest9');
  try {
    const g = h.guest(969, { memoryMb: 64, cores: 1 });
    await h.backend.create(g, opContext(g.id, 'create'));
    await h.backend.snapshot(g, 'base', 'phx:1 lxc/969/snapshot/base', opContext(g.id));
    const noRsync = pathWithoutRsync();
    // The premise: lxc-snapshot itself, given this PATH, cannot copy the rootfs.
    const raw = spawnSync('lxc-snapshot', ['-P', h.lxcPath, '-n', '969'], {
      env: { ...process.env, PATH: noRsync },
      encoding: 'utf8',
    });
    assert.is.not(raw.status, 0, `lxc-snapshot without rsync exited 0:\n${raw.stderr}`);
    process.env.PATH = noRsync;
    try {
      let ctx = opContext(g.id, 'snapshot');
      expectRsyncNamed(
        await failure(h.backend.snapshot(g, 'next', 'phx:2 lxc/969/snapshot/next', ctx)),
        ctx,
      );
      ctx = opContext(g.id, 'create');
      expectRsyncNamed(await failure(h.backend.rollback(g, 'base', ctx)), ctx);
      ctx = opContext(970, 'create');
      expectRsyncNamed(await failure(h.backend.clone(g.id, 'base', h.guest(970), ctx)), ctx);
    } finally {
      process.env.PATH = realPath;
    }
    // With rsync back, the same snapshot goes through.
    await h.backend.snapshot(g, 'next', 'phx:2 lxc/969/snapshot/next', opContext(g.id));
  } finally {
    await h.cleanup();
  }
});

test.run();
