// The sim's storage volumes: `pct move-volume --target-vmid` refuses what
// pve-container refuses and carries a volume's files to its new owner;
// destroy frees only what the CT owns; rollback keeps a volume added after
// the snapshot as unusedN (with its files) and the current description.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCt, expectOk, makeSim, tempDir, type SimRig } from '../sim/sim-helpers.ts';

const POOL = 'fastData-shared-bulk-data';

async function withModelFile(rig: SimRig, id: number, content: string): Promise<void> {
  const dir = await tempDir('phx-vol-');
  await writeFile(join(dir, 'weights.bin'), content);
  expectOk(await rig.run('pct', 'start', String(id)), 'start');
  expectOk(
    await rig.run('pct', 'exec', String(id), '--', 'mkdir', '-p', '/vllm_models/m'),
    'mkdir',
  );
  expectOk(
    await rig.run(
      'pct',
      'push',
      String(id),
      join(dir, 'weights.bin'),
      '/vllm_models/m/weights.bin',
    ),
    'push',
  );
  expectOk(await rig.run('pct', 'stop', String(id)), 'stop');
}

async function readIn(rig: SimRig, id: number, path: string): Promise<string> {
  expectOk(await rig.run('pct', 'start', String(id)), 'start');
  const r = await rig.run('pct', 'exec', String(id), '--', 'cat', path);
  expectOk(await rig.run('pct', 'stop', String(id)), 'stop');
  return r.exitCode === 0 ? r.stdout : `(exit ${r.exitCode}: ${r.stderr.trim()})`;
}

const config = async (rig: SimRig, id: number) =>
  (await rig.run('pct', 'config', String(id))).stdout;

async function twoCts(): Promise<SimRig> {
  const rig = await makeSim();
  expectOk(await createCt(rig, 801), 'create 801');
  expectOk(await createCt(rig, 990000801), 'create holder');
  expectOk(await rig.run('pct', 'set', '801', '--mp0', `${POOL}:50,mp=/vllm_models`), 'mp0');
  return rig;
}

test('move-volume renames the volume for its new owner and carries its files', async () => {
  const rig = await twoCts();
  assert.match(
    await config(rig, 801),
    /^mp0: fastData-shared-bulk-data:subvol-801-disk-1,mp=\/vllm_models,size=50G$/m,
  );
  await withModelFile(rig, 801, 'model weights\n');
  const r = expectOk(
    await rig.run(
      'pct',
      'move-volume',
      '801',
      'mp0',
      '--target-vmid',
      '990000801',
      '--target-volume',
      'mp0',
    ),
    'move',
  );
  assert.match(r.stdout, /moving volume 'mp0' from container '801' to '990000801'/);
  assert.not.match(await config(rig, 801), /^mp0:/m);
  assert.match(
    await config(rig, 990000801),
    /^mp0: fastData-shared-bulk-data:subvol-990000801-disk-1,mp=\/vllm_models,size=50G$/m,
  );
  assert.is(
    await readIn(rig, 801, '/vllm_models/m/weights.bin'),
    '(exit 1: cat: /vllm_models/m/weights.bin: No such file or directory)',
  );
  // The source is destroyed: the moved volume is no longer its to free.
  expectOk(await rig.run('pct', 'destroy', '801', '--purge', '1'), 'destroy');
  expectOk(await createCt(rig, 801), 'recreate 801');
  expectOk(
    await rig.run(
      'pct',
      'move-volume',
      '990000801',
      'mp0',
      '--target-vmid',
      '801',
      '--target-volume',
      'mp0',
    ),
    'move back',
  );
  assert.match(
    await config(rig, 801),
    /^mp0: fastData-shared-bulk-data:subvol-801-disk-1,mp=\/vllm_models,size=50G$/m,
  );
  assert.is(await readIn(rig, 801, '/vllm_models/m/weights.bin'), 'model weights\n');
});

test('an unused volume moves only to an unusedN key, files kept in the volume', async () => {
  const rig = await twoCts();
  await withModelFile(rig, 801, 'w\n');
  expectOk(
    await rig.run(
      'pct',
      'move-volume',
      '801',
      'mp0',
      '--target-volume',
      'unused0',
      '--target-vmid',
      '990000801',
    ),
    'to unused',
  );
  assert.match(
    await config(rig, 990000801),
    /^unused0: fastData-shared-bulk-data:subvol-990000801-disk-1$/m,
  );
  const bad = await rig.run(
    'pct',
    'move-volume',
    '990000801',
    'unused0',
    '--target-vmid',
    '801',
    '--target-volume',
    'mp3',
  );
  assert.is(bad.stderr, 'Moving an unused volume to a used one is not possible\n');
  expectOk(
    await rig.run(
      'pct',
      'move-volume',
      '990000801',
      'unused0',
      '--target-vmid',
      '801',
      '--target-volume',
      'unused2',
    ),
    'unused to unused',
  );
  assert.match(await config(rig, 801), /^unused2: fastData-shared-bulk-data:subvol-801-disk-1$/m);
});

test('move-volume refuses what Proxmox refuses', async () => {
  const rig = await twoCts();
  const move = (...extra: string[]) => rig.run('pct', 'move-volume', ...extra);
  const err = async (p: Promise<{ exitCode: number; stderr: string }>) => {
    const r = await p;
    assert.is.not(r.exitCode, 0);
    return r.stderr.trim();
  };
  assert.is(
    await err(move('801', 'rootfs', '--target-vmid', '990000801')),
    "Cannot move to/from 'rootfs'",
  );
  assert.is(await err(move('801', 'mp0', '--target-vmid', '555')), 'could not find CT 555');
  assert.is(await err(move('555', 'mp0', '--target-vmid', '801')), 'could not find CT 555');
  assert.is(
    await err(move('801', 'mp1', '--target-vmid', '990000801')),
    "volume 'mp1' for container '801' does not exist",
  );
  expectOk(
    await rig.run('pct', 'set', '990000801', '--mp0', '/mnt/host,mp=/host'),
    'bind on holder',
  );
  assert.is(
    await err(move('801', 'mp0', '--target-vmid', '990000801')),
    "Target volume key 'mp0' is already in use for container '990000801'",
  );
  assert.is(
    await err(move('990000801', 'mp0', '--target-vmid', '801', '--target-volume', 'mp5')),
    'Cannot move a bindmount or device mount to another container',
  );
  expectOk(await rig.run('pct', 'start', '801'), 'start');
  assert.is(
    await err(move('801', 'mp0', '--target-vmid', '990000801', '--target-volume', 'mp1')),
    'Cannot move in-use volume while the source CT is running - detach or shutdown first',
  );
  expectOk(await rig.run('pct', 'stop', '801'), 'stop');
  expectOk(await rig.run('pct', 'snapshot', '801', 'layer'), 'snapshot');
  assert.is(
    await err(move('801', 'mp0', '--target-vmid', '990000801', '--target-volume', 'mp1')),
    'Cannot move volume used by a snapshot to another container',
  );
  expectOk(await rig.run('pct', 'delsnapshot', '801', 'layer'), 'delsnapshot');
  expectOk(await rig.run('pct', 'set', '801', '--lock', 'backup'), 'lock');
  assert.is(
    await err(move('801', 'mp0', '--target-vmid', '990000801', '--target-volume', 'mp1')),
    'CT 801 is locked (backup)',
  );
  expectOk(await rig.run('pct', 'unlock', '801'), 'unlock');
  assert.match(
    await err(move('801', 'mp0', 'local', '--target-vmid', '990000801')),
    /either set 'storage' or 'target-vmid', but not both/,
  );
  assert.match(await err(move('801', 'mp0')), /both 'storage' and 'target-vmid' missing/);
  assert.match(
    await err(move('801', 'mp999', '--target-vmid', '990000801')),
    /volume: value does not match/,
  );
  // Nothing above moved it.
  assert.match(await config(rig, 801), /^mp0: fastData-shared-bulk-data:subvol-801-disk-1,/m);
});

test("destroy frees the CT's own volumes and leaves another owner's", async () => {
  const rig = await twoCts();
  expectOk(
    await rig.run('pct', 'set', '990000801', '--mp1', `${POOL}:subvol-801-disk-1,mp=/borrowed`),
    'reference 801s volume',
  );
  const r = expectOk(await rig.run('pct', 'destroy', '990000801', '--purge', '1'), 'destroy');
  assert.is(
    r.stderr,
    "ignore deletion of 'fastData-shared-bulk-data:subvol-801-disk-1', CT 990000801 isn't the owner!\n",
  );
  assert.match(await config(rig, 801), /^mp0: fastData-shared-bulk-data:subvol-801-disk-1,/m);
});

test('rollback keeps a volume added after the snapshot as unusedN, with its files and the description', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--description', 'phx: mark'), 'create');
  expectOk(await rig.run('pct', 'snapshot', '950', 'before', '--description', 'snap note'), 'snap');
  expectOk(await rig.run('pct', 'set', '950', '--mp0', `${POOL}:8,mp=/vllm_models`), 'mp0');
  await withModelFile(rig, 950, 'late data\n');
  expectOk(await rig.run('pct', 'rollback', '950', 'before'), 'rollback');
  const conf = await config(rig, 950);
  assert.not.match(conf, /^mp0:/m);
  assert.match(conf, /^unused0: fastData-shared-bulk-data:subvol-950-disk-1$/m);
  assert.match(conf, /^description: phx%3A mark$/m);
  // Its files are kept with the volume (the sim's state), not in the rolled-back rootfs.
  const state = JSON.parse(await readFile(join(rig.dir, 'lxc', '950.json'), 'utf8')) as {
    volumes?: Record<string, Record<string, unknown>>;
    fs: Record<string, unknown>;
  };
  assert.ok(state.volumes?.[`${POOL}:subvol-950-disk-1`]?.['/m/weights.bin']);
  assert.not.ok(state.fs['/vllm_models/m/weights.bin']);
});

test.run();
