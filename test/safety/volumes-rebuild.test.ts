// Data survives a rebuild (issue 8 item 5), with the real `phx` binary on
// the sim node: a clone with a zfs volume gets a file into that volume, an
// upstream edit re-clones it, and the new clone has the volume with the file.
// Then the rebuild is failed at each of its steps in turn: the volume is
// always held by some CT, and the next build finishes the move.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, type SimFaultSpec } from '../helpers/rig.ts';
import { SimRunner } from '../../src/sim/runner.ts';

const ID = 953;
const HOLDER = 990000953;
const POOL = 'fastData-shared-bulk-data';
const FILE = '/vllm_models/m/weights.bin';
const CONTENT = 'fifty gigabytes of weights\n';

const rigs: Rig[] = [];
const temps: string[] = [];
process.on('exit', () => {
  for (const r of rigs) r.cleanup();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function sim(rig: Rig): SimRunner {
  return new SimRunner({ dir: rig.path('.phoenix-sim'), durations: {}, scale: 0, faults: [] });
}

async function pct(rig: Rig, ...argv: string[]) {
  return sim(rig).run(['pct', ...argv], { signal: new AbortController().signal });
}

async function ok(rig: Rig, ...argv: string[]): Promise<string> {
  const r = await pct(rig, ...argv);
  if (r.exitCode !== 0) throw new Error(`pct ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Read a file inside the CT through the sim's guest file model. */
async function catIn(rig: Rig, id: number, path: string): Promise<string | undefined> {
  await pct(rig, 'start', String(id)); // may be running already
  const r = await pct(rig, 'exec', String(id), '--', 'cat', path);
  await ok(rig, 'stop', String(id));
  return r.exitCode === 0 ? r.stdout : undefined;
}

/** Which CTs list a storage volume on the pool, and whether one holds the file (sim state). */
function holdersOfFile(rig: Rig): number[] {
  const out: number[] = [];
  for (const id of [ID, HOLDER]) {
    let state: { fs: Record<string, unknown>; volumes?: Record<string, Record<string, unknown>> };
    try {
      state = JSON.parse(readFileSync(rig.path(`.phoenix-sim/lxc/${id}.json`), 'utf8')) as never;
    } catch {
      continue;
    }
    const inFs = FILE in state.fs;
    const inVolume = Object.values(state.volumes ?? {}).some((v) => '/m/weights.bin' in v);
    if (inFs || inVolume) out.push(id);
  }
  return out;
}

/** 900 (template) and 953 (its clone, one feature layer, a 50 GB zfs volume). */
async function baseline(): Promise<Rig> {
  const rig = Rig.create();
  rigs.push(rig);
  rig.editJson('configs/phoenix_lxc_configs.json', (doc: any) => {
    const keep = { '900': doc.lxc_configs['900'], [String(ID)]: doc.lxc_configs[String(ID)] };
    delete keep[String(ID)].dependencies;
    keep[String(ID)].zfs_volumes = [
      { name: 'models', pool: POOL, size_gb: 50, mount_point: '/vllm_models' },
    ];
    doc.lxc_configs = keep;
  });
  // No VMs or stacks: they refer to CTs this workspace leaves out.
  rmSync(rig.path('configs/phoenix_vm_configs.json'));
  rmSync(rig.path('configs/phoenix_stacks_config.json'));
  const first = await rig.phx(['build', String(ID)], { env: {} });
  assert.is(first.code, 0, first.stderr);
  assert.match(
    await ok(rig, 'config', String(ID)),
    new RegExp(`^mp0: ${POOL}:subvol-${ID}-disk-\\d+,mp=/vllm_models,size=50G$`, 'm'),
  );
  // Data written by the service into its volume.
  await pct(rig, 'start', String(ID)); // the build left it running
  await ok(rig, 'exec', String(ID), '--', 'mkdir', '-p', '/vllm_models/m');
  const local = mkdtempSync(join(tmpdir(), 'phx-vol-'));
  temps.push(local);
  writeFileSync(join(local, 'w.bin'), CONTENT);
  await ok(rig, 'push', String(ID), join(local, 'w.bin'), FILE);
  await ok(rig, 'stop', String(ID));
  // An upstream edit: 900's template snapshot changes name, so 953 is re-cloned from the new one.
  rename900Snapshot(rig, 'final-form-2');
  return rig;
}

function rename900Snapshot(rig: Rig, name: string): void {
  rig.editJson('configs/phoenix_lxc_configs.json', (doc: any) => {
    doc.lxc_configs['900'].template_snapshot_name = name;
  });
}

function copyOf(rig: Rig): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'phx-rig-'));
  cpSync(rig.dir, dir, { recursive: true });
  const copy = Rig.at(dir);
  rigs.push(copy);
  return copy;
}

/** Accepted command lines, from journal entry `since` on. */
function commandsRun(rig: Rig, since = 0): string[] {
  return rig
    .journal()
    .slice(since)
    .filter((e: any) => e.accepted === true && Array.isArray(e.argv))
    .map((e: any) => (e.argv as string[]).join(' '));
}

async function assertCarried(rig: Rig): Promise<void> {
  const conf = await ok(rig, 'config', String(ID));
  assert.match(
    conf,
    new RegExp(`^mp0: ${POOL}:subvol-${ID}-disk-\\d+,mp=/vllm_models,size=50G$`, 'm'),
  );
  assert.not.match(conf, /^mp1:|^unused/m);
  assert.is(await catIn(rig, ID, FILE), CONTENT);
}

let base: Rig;

test('an upstream edit re-clones the guest and its volume, file included, carries over', async () => {
  base = await baseline();
  const rig = copyOf(base);
  const plan = await rig.phx(['plan', String(ID)]);
  assert.match(plan.stdout, new RegExp(`lxc/${ID}/clone`));
  const since = rig.journal().length;
  const r = await rig.phx(['build', String(ID), '--replace', String(ID)]);
  assert.is(r.code, 0, r.stderr);
  const ran = commandsRun(rig, since);
  const at = (prefix: string) => ran.findIndex((c) => c.startsWith(prefix));
  // The order that keeps the volume owned at every step.
  const steps = [
    `pct create ${HOLDER}`,
    `pct move-volume ${ID} mp0 --target-vmid ${HOLDER}`,
    `pct destroy ${ID}`,
    `pct clone 900 ${ID}`,
    `pct move-volume ${HOLDER} mp0 --target-vmid ${ID}`,
    `pct destroy ${HOLDER}`,
  ].map(at);
  const lastBuild = ran.lastIndexOf(`pct destroy ${HOLDER} --purge 1`);
  assert.ok(
    steps.every((i) => i >= 0),
    `missing steps: ${JSON.stringify(steps)}\n${ran.join('\n')}`,
  );
  assert.equal(
    [...steps].sort((a, b) => a - b),
    steps,
  );
  assert.ok(lastBuild >= 0);
  await assertCarried(rig);
  assert.is((await pct(rig, 'config', String(HOLDER))).exitCode, 255, 'holder removed');
  // A further build has nothing to do.
  const again = await rig.phx(['plan', '--detailed-exitcode', String(ID)]);
  assert.is(again.code, 0, again.stdout);
});

const failAt: [string, string[]][] = [
  ['deleting the snapshot that pins the volume', ['pct', 'delsnapshot', String(ID)]],
  ['creating the holder', ['pct', 'create', String(HOLDER)]],
  ['moving the volume out', ['pct', 'move-volume', String(ID)]],
  ['destroying the old guest', ['pct', 'destroy', String(ID)]],
  ['cloning the new guest', ['pct', 'clone', '900', String(ID)]],
  ['moving the volume back', ['pct', 'move-volume', String(HOLDER)]],
];

for (const [what, match] of failAt.filter(([w]) => (process.env.VOL_ONLY ?? w).includes(w))) {
  test(`a rebuild failed while ${what}: the volume is kept, the next build carries it over`, async () => {
    const rig = copyOf(base);
    const faults: SimFaultSpec[] = [{ action: 'fail', match, message: `injected: ${what}` }];
    const failed = await rig.phx(['build', String(ID), '--replace', String(ID)], { faults });
    assert.is(failed.code, 1, failed.stdout + failed.stderr);
    assert.ok(
      rig.journal().some((e: any) => e.fault === 'fail'),
      `${failed.stdout}${failed.stderr}`,
    );
    assert.ok(
      rig.journal().some((e: any) => e.fault === 'fail'),
      `the fault at ${match.join(' ')} was never reached`,
    );
    const holders = holdersOfFile(rig);
    assert.is(
      holders.length,
      1,
      `the file is held by exactly one CT, not ${JSON.stringify(holders)}`,
    );
    const r = await rig.phx(['build', String(ID), '--replace', String(ID)]);
    assert.is(r.code, 0, r.stderr);
    await assertCarried(rig);
    assert.is((await pct(rig, 'config', String(HOLDER))).exitCode, 255, 'holder removed');
  });
}

test('the empty holder that could not be removed is reused and removed by the next rebuild', async () => {
  const rig = copyOf(base);
  const r = await rig.phx(['build', String(ID), '--replace', String(ID)], {
    faults: [{ action: 'fail', match: ['pct', 'destroy', String(HOLDER)] }],
  });
  assert.is(r.code, 0, r.stderr);
  await assertCarried(rig);
  assert.match(await ok(rig, 'config', String(HOLDER)), /^hostname: phx-hold-953$/m);
  rename900Snapshot(rig, 'final-form-3');
  const again = await rig.phx(['build', String(ID), '--replace', String(ID)]);
  assert.is(again.code, 0, again.stderr);
  await assertCarried(rig);
  assert.is((await pct(rig, 'config', String(HOLDER))).exitCode, 255, 'holder removed');
});

test('a CT at the holder id that phx did not make stops the rebuild before anything is destroyed', async () => {
  const rig = copyOf(base);
  await ok(
    rig,
    'create',
    String(HOLDER),
    'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
    '--hostname',
    'someone-else',
  );
  const since = rig.journal().length;
  const r = await rig.phx(['build', String(ID), '--replace', String(ID)]);
  assert.is(r.code, 1);
  assert.match(
    r.stdout + r.stderr,
    new RegExp(`CT ${HOLDER} exists but is not phx's holder for CT ${ID}`),
  );
  assert.ok(!commandsRun(rig, since).some((c) => c.startsWith(`pct destroy ${ID}`)));
  assert.is(await catIn(rig, ID, FILE), CONTENT);
});

test.run();
