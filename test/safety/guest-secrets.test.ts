// Resolved secrets inside a guest: while the step runs, entry.json is 0600
// and root's (pct push would make it 0644 without --perms); after the build,
// failed or not, no file of the guest, of any of its snapshots or of any
// other CT on the node holds the secret's plaintext.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { pushArgvs } from '../../src/backends/proxmox/guest-args.ts';
import { envOf, guestFiles, plaintext, secretRig } from '../secrets/helpers.ts';

const nginx953 = 'lxc/953/feature/nginx';
const entryPath = '/var/lib/phx/ctx/lxc_953_feature_nginx/entry.json';
const scriptExec = ['pct', 'exec', '953', '--', 'env'];

interface SimFile {
  type: string;
  mode: number;
  uid?: string;
  sha256?: string;
}

/** "CT 953 /path" and "CT 953 @snap /path" for every modelled file whose content holds `text`. */
function filesHolding(rig: Rig, text: string): string[] {
  const dir = rig.path('.phoenix-sim/lxc');
  const found: string[] = [];
  const blob = (sha: string) => readFileSync(rig.path(`.phoenix-sim/blobs/${sha}`), 'latin1');
  const scan = (where: string, fs: Record<string, SimFile>) => {
    for (const [p, e] of Object.entries(fs))
      if (e.sha256 !== undefined && blob(e.sha256).includes(text)) found.push(`${where} ${p}`);
  };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const ct = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as {
      vmid: number;
      fs: Record<string, SimFile>;
      /** A snapshot's file model is itself a blob (src/sim/store.ts). */
      snapshots: { name: string; fsSha: string }[];
    };
    scan(`CT ${ct.vmid}`, ct.fs);
    for (const s of ct.snapshots)
      scan(`CT ${ct.vmid} @${s.name}`, JSON.parse(blob(s.fsSha)) as Record<string, SimFile>);
  }
  return found;
}

test('pct push keeps an owner-only file owner-only (--perms 0600), others as before', () => {
  const argvs = pushArgvs(
    953,
    '/h',
    '/var/lib/phx/ctx/x',
    [
      { rel: 'entry.json', executable: false, private: true },
      { rel: 'install.sh', executable: true },
      { rel: 'notes.txt', executable: false },
    ],
    [],
  );
  assert.equal(argvs.slice(2), [
    ['pct', 'push', '953', '/h/entry.json', '/var/lib/phx/ctx/x/entry.json', '--perms', '0600'],
    ['pct', 'push', '953', '/h/install.sh', '/var/lib/phx/ctx/x/install.sh', '--perms', '0755'],
    ['pct', 'push', '953', '/h/notes.txt', '/var/lib/phx/ctx/x/notes.txt'],
  ]);
});

test('entry.json is 0600 and root-owned during the step; no plaintext left after', async () => {
  const rig = secretRig();
  const admin = plaintext('admin');
  const release = rig.path('release');
  const run = rig.spawn(['build', '953'], {
    env: envOf(rig, admin, plaintext('root')),
    faults: [{ target: nginx953, match: scriptExec, action: 'wait-file', path: release, times: 1 }],
  });
  try {
    await rig.waitFor(
      () =>
        existsSync(rig.path('.phoenix-sim/lxc/953.json')) &&
        guestFiles(rig, 953)[entryPath] !== undefined,
      'entry.json in CT 953',
    );
    const during = guestFiles(rig, 953)[entryPath] as SimFile;
    assert.is(during.mode.toString(8), '600', 'owner-only while the script runs');
    assert.is(during.uid, '0', 'owned by root');
    assert.ok(
      filesHolding(rig, admin).length > 0,
      'the scan does see the secret while it is there',
    );
    writeFileSync(release, '');
    const done = await run.done;
    assert.is(done.code, 0, done.stderr);
    const snaps = JSON.parse(rig.read('.phoenix-sim/lxc/953.json')) as { snapshots: unknown[] };
    assert.ok(snaps.snapshots.length > 0, 'layer snapshots were taken');
    assert.equal(filesHolding(rig, admin), [], 'no guest file or snapshot holds the secret');
  } finally {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    rig.cleanup();
  }
});

test('a failing step leaves no plaintext in the guest or its snapshots either', async () => {
  const rig = secretRig();
  const admin = plaintext('admin');
  try {
    const r = await rig.phx(['build', '953'], {
      env: envOf(rig, admin, plaintext('root')),
      faults: [
        {
          target: nginx953,
          match: scriptExec,
          action: 'fail',
          message: 'install failed',
          times: 1,
        },
      ],
    });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /install failed/);
    assert.equal(filesHolding(rig, admin), []);
  } finally {
    rig.cleanup();
  }
});

test.run();
