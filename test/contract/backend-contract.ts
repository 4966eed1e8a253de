// The contract every Backend implementation passes (STYLE.md: one shared
// suite per interface, as wireit's registerCommonCacheTests). The inputs are
// backend-neutral: Guest objects from guest-factory.ts, a template the
// harness provides, scripts that need only a POSIX sh in the guest.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Backend, type GuestState, type OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { Guest } from '../../src/model/model.ts';
import type { GuestOptions } from './guest-factory.ts';
import { opContext } from './op-context.ts';

export interface ContractHarness {
  readonly backend: Backend;
  /** A guest of this harness (template, bridge and addresses filled in for the backend). */
  guest(id: number, opts?: GuestOptions): Guest;
  /** Two ids free on the backend's host; default 990 and 991. */
  readonly ids?: readonly [number, number];
  /**
   * Whether programs really run in the guest (false for the sim node, which
   * records exec but cannot run a guest's programs). Files are checked by
   * pushFile and pull on every backend either way.
   */
  readonly runsGuestPrograms?: boolean;
  /**
   * How the harness's guests are created; default Backend.create. A VM is
   * made from its image through vmOps() (stageImage, createVm).
   */
  create?(guest: Guest, ctx: OpContext): Promise<void>;
  cleanup(): Promise<void>;
}

const RUN_DIR = '/var/lib/phx/run/contract';
const OUT = '/root/phx-contract-out';
const MARK_DIR = '/root/phx-contract-mark';
const AFTER_DIR = '/root/phx-contract-after';
const SNAP1 = 'phx-111111111111';
const SNAP2 = 'phx-222222222222';

async function expectOpError(
  p: Promise<unknown>,
  type?: OpError['failure']['type'],
): Promise<OpError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError, `expected an OpError, got ${String(e)}`);
    if (type !== undefined) assert.is((e as OpError).failure.type, type, (e as OpError).message);
    return e as OpError;
  }
  assert.unreachable('expected the operation to fail');
  throw new Error('unreachable');
}

export function registerBackendContract(
  suiteName: string,
  makeBackend: () => Promise<ContractHarness>,
): Test {
  const test = suite(`${suiteName}: backend contract`);
  let h: ContractHarness;
  let a: Guest;
  let b: Guest;
  let localDir: string;
  const state = async (g: Guest): Promise<GuestState> => {
    const s = (
      await h.backend.inspect([{ kind: g.kind, id: g.id }], new AbortController().signal, {
        settings: true,
      })
    ).get(g.id);
    assert.ok(s, `inspect answered nothing for ${g.id}`);
    return s;
  };
  const sh = (g: Guest, script: string) =>
    h.backend.exec(g, { cwd: '/', argv: ['/bin/sh', '-c', script], env: {} }, opContext(g.id));
  /** The files of a guest folder, read back through pull (empty when it does not exist). */
  const filesIn = async (g: Guest, dir: string): Promise<Record<string, string>> => {
    const local = await mkdtemp(join(tmpdir(), 'phx-contract-pull-'));
    try {
      await h.backend.pull(g, dir, join(local, 'd'), opContext(g.id));
      const out: Record<string, string> = {};
      for (const name of (await readdir(join(local, 'd'))).sort()) {
        out[name] = await readFile(join(local, 'd', name), 'utf8');
      }
      return out;
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  };
  const runs = () => h.runsGuestPrograms ?? true;

  test.before(async () => {
    h = await makeBackend();
    const [ida, idb] = h.ids ?? [990, 991];
    a = h.guest(ida, { memoryMb: 256, cores: 1 });
    b = h.guest(idb);
    localDir = await mkdtemp(join(tmpdir(), 'phx-contract-'));
    await writeFile(
      join(localDir, 'write.sh'),
      `#!/bin/sh\nset -e\necho "hello $PHX_ID $(pwd)" > ${OUT}\necho wrote-marker\n`,
    );
    await chmod(join(localDir, 'write.sh'), 0o755);
  });
  test.after(async () => {
    await h.cleanup();
    await rm(localDir, { recursive: true, force: true });
  });

  test('create: the guest exists, stopped, with no snapshots', async () => {
    const ctx = opContext(a.id, 'create');
    await (h.create ? h.create(a, ctx) : h.backend.create(a, ctx));
    assert.ok(ctx.commands.length > 0, 'create records its command lines');
    const s = await state(a);
    assert.equal([s.exists, s.running, s.snapshots], [true, false, []]);
  });

  test('applySettings: twice is idempotent, removed settings disappear', async () => {
    await h.backend.applySettings(a, opContext(a.id, 'settings'));
    const first = (await state(a)).settings;
    await h.backend.applySettings(a, opContext(a.id, 'settings'));
    assert.equal((await state(a)).settings, first);
    const signal = new AbortController().signal;
    assert.equal(
      await h.backend.settingsDrift(a, signal),
      [],
      'no drift right after applySettings',
    );
    const bare = h.guest(a.id);
    const drift = await h.backend.settingsDrift(bare, signal);
    assert.ok(drift.length > 0, 'a guest declaring less memory and cores drifts from the live one');
    await h.backend.applySettings(bare, opContext(a.id, 'settings'));
    const without = (await state(a)).settings;
    assert.not.equal(without, first, 'dropping memory/cores changes the live settings');
    await h.backend.applySettings(a, opContext(a.id, 'settings'));
    assert.equal((await state(a)).settings, first);
  });

  test('start: running', async () => {
    await h.backend.start(a, opContext(a.id, 'feature'));
    assert.is((await state(a)).running, true);
  });

  test('push a folder and exec its script; a second exec sees the file', async () => {
    const ctx = opContext(a.id, 'feature');
    await h.backend.push(a, localDir, RUN_DIR, ctx);
    await h.backend.exec(
      a,
      { cwd: RUN_DIR, argv: ['./write.sh'], env: { PHX_ID: String(a.id) } },
      ctx,
    );
    if (runs()) {
      assert.ok(
        ctx.lines.includes('wrote-marker'),
        `output reaches the log: ${JSON.stringify(ctx.lines)}`,
      );
      await sh(a, `test "$(cat ${OUT})" = "hello ${a.id} ${RUN_DIR}"`);
    }
    assert.equal(Object.keys(await filesIn(a, RUN_DIR)), ['write.sh']);
    await h.backend.pushFile(a, '{"k":1}\n', '/var/lib/phx/ctx/contract/params.json', ctx);
    assert.equal(await filesIn(a, '/var/lib/phx/ctx/contract'), { 'params.json': '{"k":1}\n' });
    await h.backend.pushFile(a, 'before\n', `${MARK_DIR}/before`, ctx);
  });

  test('exec: a non-zero exit is an OpError command-failed', async () => {
    if (runs()) {
      const e = await expectOpError(sh(a, 'exit 3'), 'command-failed');
      assert.is(e.failure.type === 'command-failed' && e.failure.exitCode, 3);
    }
    const missing = h.backend.exec(
      a,
      { cwd: '/', argv: ['/opt/phx-missing-program'], env: {} },
      opContext(a.id),
    );
    const e = await expectOpError(missing, 'command-failed');
    assert.is(e.failure.type === 'command-failed' && e.failure.exitCode, 127);
  });

  test('snapshot with a description: listed by inspect', async () => {
    await h.backend.snapshot(
      a,
      SNAP1,
      `phx:1111111111111111 lxc/${a.id}/feature/one`,
      opContext(a.id, 'snapshot'),
    );
    assert.equal((await state(a)).snapshots, [
      { name: SNAP1, description: `phx:1111111111111111 lxc/${a.id}/feature/one` },
    ]);
  });

  test('rollback: a file written after the snapshot is gone', async () => {
    await h.backend.start(a, opContext(a.id));
    await h.backend.pushFile(a, 'late\n', `${AFTER_DIR}/late`, opContext(a.id));
    assert.equal(await filesIn(a, AFTER_DIR), { late: 'late\n' });
    await h.backend.rollback(a, SNAP1, opContext(a.id, 'settings'));
    assert.is((await state(a)).running, false, 'a guest is stopped after rollback');
    await h.backend.applySettings(a, opContext(a.id, 'settings'));
    await h.backend.start(a, opContext(a.id));
    assert.equal(await filesIn(a, AFTER_DIR), {});
    assert.equal(await filesIn(a, MARK_DIR), { before: 'before\n' });
    if (runs()) await sh(a, `test -e ${OUT}`);
    assert.equal(
      (await state(a)).snapshots.map((s) => s.name),
      [SNAP1],
      'rollback keeps the snapshot',
    );
  });

  test('deleteSnapshot: only that snapshot goes', async () => {
    await h.backend.snapshot(a, SNAP2, 'phx:2222222222222222 x', opContext(a.id, 'snapshot'));
    assert.equal(
      (await state(a)).snapshots.map((s) => s.name),
      [SNAP1, SNAP2],
    );
    await h.backend.deleteSnapshot(a, SNAP2, opContext(a.id, 'snapshot'));
    assert.equal(
      (await state(a)).snapshots.map((s) => s.name),
      [SNAP1],
    );
  });

  test("clone from a snapshot holds the snapshot's files", async () => {
    await h.backend.pushFile(a, 'late\n', `${AFTER_DIR}/late`, opContext(a.id));
    await h.backend.clone(a.id, SNAP1, b, opContext(b.id, 'clone'));
    const s = await state(b);
    assert.equal([s.exists, s.running], [true, false]);
    await h.backend.applySettings(b, opContext(b.id, 'settings'));
    await h.backend.start(b, opContext(b.id));
    assert.equal(await filesIn(b, MARK_DIR), { before: 'before\n' });
    assert.equal(await filesIn(b, AFTER_DIR), {});
    if (runs()) await sh(b, `test -e ${OUT}`);
  });

  test('operations on a missing guest or snapshot are OpErrors', async () => {
    const ghost = h.guest(999_999_001);
    await expectOpError(h.backend.start(ghost, opContext(ghost.id)));
    await expectOpError(h.backend.applySettings(ghost, opContext(ghost.id)));
    await expectOpError(h.backend.snapshot(ghost, SNAP1, 'x', opContext(ghost.id)));
    await expectOpError(h.backend.rollback(a, 'phx-000000000000', opContext(a.id)));
    await expectOpError(h.backend.clone(a.id, 'phx-000000000000', ghost, opContext(ghost.id)));
    assert.is((await state(ghost)).exists, false);
  });

  test('destroy: inspect says exists:false', async () => {
    for (const g of [b, a]) {
      await h.backend.destroy(g, opContext(g.id, 'create'));
      assert.equal(await state(g), { exists: false, running: false, snapshots: [], settings: {} });
    }
  });

  return test;
}
