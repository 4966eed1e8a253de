// phx status through the real binary on the sim: no drift after a build;
// drift on memory after an admin's `pct set`; a lost layer snapshot.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { builtRig, expectCode, simRun } from './helpers.ts';

interface StatusJson {
  version: number;
  guests: {
    id: number;
    kind: string;
    state: string;
    fingerprint: string | null;
    layer: string | null;
    drift: { type: string; key?: string; live?: string; declared?: string; text: string }[];
  }[];
}

let rig: Rig;
test.before(async () => {
  rig = await builtRig();
});
test.after(() => {
  rig.cleanup();
});

async function status(...args: string[]): Promise<StatusJson> {
  const r = await rig.phx(['status', '--json', ...args]);
  expectCode(r, 0, 'status');
  return JSON.parse(r.stdout) as StatusJson;
}

test('after a build every container exists, has a recorded fingerprint and no drift', async () => {
  const s = await status();
  assert.is(s.version, 1);
  const cts = s.guests.filter((g) => g.kind === 'lxc');
  assert.equal(
    cts.map((g) => g.id),
    [101, 102, 103, 900, 901, 921, 950, 953, 955],
  );
  for (const g of cts) {
    assert.ok(g.state === 'running' || g.state === 'stopped', `${g.id}: ${g.state}`);
    assert.match(g.fingerprint ?? '', /^[0-9a-f]{16}$/);
    assert.equal(g.drift, [], `${g.id}: ${JSON.stringify(g.drift)}`);
  }
  const started = new Set(cts.filter((g) => g.state === 'running').map((g) => g.id));
  for (const id of [101, 102, 103, 950, 953, 955])
    assert.ok(started.has(id), `${id} runs after build --all`);
  // The VMs are built too: the template stays stopped, the start_at_boot clones run.
  const vms = new Map(s.guests.filter((g) => g.kind === 'vm').map((g) => [g.id, g.state]));
  assert.equal(
    [...vms],
    [
      [1001, 'running'],
      [1002, 'running'],
      [9000, 'stopped'],
    ],
  );
});

test('a hand edit of memory on the host is reported as drift, live → declared', async () => {
  const set = await simRun(rig, 'pct', 'set', '950', '--memory', '9999');
  assert.is(set.exitCode, 0, set.stderr);
  const s = await status('950');
  assert.is(s.guests.length, 1);
  const drift = s.guests[0]!.drift;
  assert.equal(
    drift.map((d) => [d.type, d.key, d.live, d.declared]),
    [['setting', 'memory', '9999', '32768']],
  );
  assert.is(drift[0]!.text, 'memory: 9999 → 32768');
  const text = await rig.phx(['status', '950']);
  expectCode(text, 0, 'status text');
  assert.match(
    text.stdout,
    /^950\s+lxc\s+vllm-qwen2\.5-7b-awq\s+running\s+[0-9a-f]{12}\s+1 item\(s\)$/m,
  );
  assert.match(text.stdout, /^ {4}memory: 9999 → 32768$/m);
  // Other guests are untouched.
  assert.equal((await status('953')).guests[0]!.drift, []);
});

test('a recorded layer snapshot deleted on the host is drift', async () => {
  const before = await status('955');
  assert.equal(before.guests[0]!.drift, []);
  const list = await simRun(
    rig,
    'pvesh',
    'get',
    '/nodes/localhost/lxc/955/snapshot',
    '--output-format',
    'json',
  );
  const snaps = (JSON.parse(list.stdout) as { name: string }[])
    .map((s) => s.name)
    .filter((n) => n.startsWith('phx-'));
  assert.ok(snaps.length > 0);
  const newest = snaps.at(-1)!;
  const del = await simRun(rig, 'pct', 'delsnapshot', '955', newest);
  assert.is(del.exitCode, 0, del.stderr);
  const d = (await status('955')).guests[0]!.drift;
  assert.is(d.length, 1, JSON.stringify(d));
  assert.is(d[0]!.type, 'snapshot-missing');
  assert.match(
    d[0]!.text,
    new RegExp(`^snapshot ${newest} of lxc/955/\\S+ is missing on the host$`),
  );
});

test('an unknown id is a usage error', async () => {
  const r = await rig.phx(['status', '4242']);
  expectCode(r, 1, 'status 4242');
  assert.match(r.stderr, /4242 is not a CTID or VMID in the configs/);
});

test.run();
