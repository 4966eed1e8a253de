// The VMs of the real configs (test/fixtures/phoenix-real) built on the sim
// node through the real CLI (issue 11 "Done when"): the build file names the
// image (a local stand-in file), 1001 gets one VM-only feature (vm_probe)
// after base_setup so an edit has layers after it. Plan shows 9000 → its
// clones with their layers; build --all builds every CT and VM; the next plan
// is a no-op; a new image rebuilds 9000, 1001 and 1002 only; an edited VM
// feature rebuilds its layer and the later ones of that VM only; a failing
// VM feature, and a guest agent that never answers, leave the VM at its last
// good layer, from which the next build resumes.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, built, repoRoot, toBuild } from '../helpers/rig.ts';

const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
test.after(() => {
  rig.cleanup();
});

const vm = 'configs/phoenix_vm_configs.json';
const standIn = readFileSync(join(repoRoot, 'configs/images/noble-server-cloudimg-amd64.img'));
rig.write('images/noble.img', standIn.toString('latin1'));
rig.write(
  'phoenix.build.ts',
  `export default {
  images: { 'noble-server-cloudimg-amd64.img': { file: 'images/noble.img' } },
  vm: { agentTimeoutS: 2 },
};
`,
);
rig.write(
  'features/vm_probe/feature.json',
  JSON.stringify({ description: 'a VM-only layer of this test', targets: ['vm'] }),
);
rig.write(
  'features/vm_probe/install.sh',
  '#!/usr/bin/env bash\nset -euo pipefail\necho probe v1 >/root/probe\n',
);
chmodSync(rig.path('features/vm_probe/install.sh'), 0o755);
rig.editJson(vm, (d: { vms: { features: string[] }[] }) => {
  d.vms[1]!.features.splice(1, 0, 'vm_probe');
});

const containers = [
  '101',
  '102',
  '103',
  '801',
  '802',
  '900',
  '901',
  '910',
  '911',
  '912',
  '914',
  '917',
];

/**
 * The guests among `ids`. The host's own targets are left out: no image or
 * feature is an input of theirs, and whether they plan clean is the host
 * tests' to say.
 */
const guestsOf = (ids: readonly string[]) =>
  [...new Set(ids.filter((id) => !id.startsWith('host/')).map((id) => id.split('/')[1]!))].sort();
const guestIds = (ids: readonly string[]) => ids.filter((id) => !id.startsWith('host/')).sort();

test('plan shows the image, 9000 and its clones 1001 and 1002 with their layers', async () => {
  const r = await rig.phx(['plan']);
  assert.is(r.code, 0, r.stderr);
  const vmLines = r.stdout
    .split('\n')
    .filter((l) => l.includes(' vm/'))
    .map((l) => l.trim().split(/\s+/)[1]);
  assert.equal(vmLines, [
    'vm/9000/image',
    'vm/9000/create',
    'vm/9000/settings',
    'vm/9000/snapshot/initial_clean_state',
    'vm/1001/clone',
    'vm/1001/settings',
    'vm/1001/feature/base_setup',
    'vm/1001/feature/vm_probe',
    'vm/1001/feature/trusted_ca',
    'vm/1001/feature/step_cli',
    'vm/1001/feature/docker',
    'vm/1001/firewall',
    'vm/1002/clone',
    'vm/1002/settings',
    'vm/1002/feature/base_setup',
    'vm/1002/feature/trusted_ca',
    'vm/1002/feature/step_cli',
    'vm/1002/feature/docker',
    'vm/1002/firewall',
  ]);
  assert.not.match(r.stdout + r.stderr, /not built by this version/);
});

test('build --all builds every container and VM; the next plan is a no-op', async () => {
  const r = await rig.buildJson(['--all']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(guestsOf(built(r.json)), [...containers, '1001', '1002', '9000'].sort());
  // The image went to the node once, and both clones came from the template snapshot.
  const qm = r.json.targets.flatMap((t) => t.commands).filter((c) => c[0] === 'qm');
  assert.ok(
    qm.some((c) => c[1] === 'clone' && c[2] === '9000' && c[3] === '1001'),
    'qm clone 9000 1001',
  );
  const again = await rig.planJson();
  assert.equal(guestIds(toBuild(again.json)), [], 'no guest target plans to build');
});

test('a new image rebuilds 9000, 1001 and 1002, and nothing else', async () => {
  rig.write('images/noble.img', standIn.toString('latin1') + 'image v2\n');
  const plan = await rig.planJson();
  assert.equal(guestsOf(toBuild(plan.json)), ['1001', '1002', '9000']);
  const image = plan.json.targets.find((t) => t.id === 'vm/9000/image')!;
  assert.ok(
    image.reasons.some((r) => JSON.stringify(r).includes('/vms/0/template_image#sha256')),
    JSON.stringify(image.reasons),
  );
  const r = await rig.buildJson(['--all', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(guestsOf(built(r.json)), ['1001', '1002', '9000']);
  assert.equal(guestIds(toBuild((await rig.planJson()).json)), []);
});

test('an edited VM feature rebuilds its layer and the later ones of that VM only', async () => {
  rig.append('features/vm_probe/install.sh', 'echo probe v2 >>/root/probe\n');
  const plan = await rig.planJson();
  assert.equal(guestIds(toBuild(plan.json)), [
    'vm/1001/feature/docker',
    'vm/1001/feature/step_cli',
    'vm/1001/feature/trusted_ca',
    'vm/1001/feature/vm_probe',
    'vm/1001/settings',
  ]);
  const r = await rig.buildJson(['--all']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(guestIds(built(r.json)), guestIds(toBuild(plan.json)));
});

/** The targets whose layer snapshots VM 1001 has on the sim node, oldest first. */
function layersOf1001(): string[] {
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin/phx-sim.js'), 'qm', 'listsnapshot', '1001'],
    {
      cwd: rig.dir,
      env: rig.env(),
      encoding: 'utf8',
    },
  );
  assert.is(r.status, 0, r.stderr);
  return [...r.stdout.matchAll(/phx:[0-9a-f]+ (\S+)/g)].map((m) => m[1]!);
}

test('a failing VM feature resumes from the last good layer', async () => {
  rig.append('features/vm_probe/install.sh', 'echo probe v3 >>/root/probe\n');
  const failing = await rig.buildJson(['1001'], {
    faults: [
      { target: 'vm/1001/feature/vm_probe', match: ['qm', 'guest', 'exec'], action: 'fail' },
    ],
  });
  assert.is(failing.code, 1);
  const failed = failing.json.targets.filter((t) => t.action === 'failed').map((t) => t.id);
  assert.equal(failed, ['vm/1001/feature/vm_probe']);
  // The next build starts at the failed layer: the clone and base_setup stand.
  const plan = await rig.planJson(['1001']);
  const rebuilding = toBuild(plan.json);
  assert.ok(rebuilding.includes('vm/1001/feature/vm_probe'));
  assert.not.ok(
    rebuilding.includes('vm/1001/clone') || rebuilding.includes('vm/1001/feature/base_setup'),
  );
  const r = await rig.buildJson(['1001']);
  assert.is(r.code, 0, r.stderr);
  const rollback = r.json.targets
    .flatMap((t) => t.commands)
    .find((c) => c[0] === 'qm' && c[1] === 'rollback');
  assert.ok(rollback, 'resumed by a rollback, not a new clone');
  assert.not.ok(built(r.json).includes('vm/1001/clone'));
});

test('a guest agent that never answers: a clear error naming the VM and the wait, VM at its last good layer', async () => {
  rig.append('features/vm_probe/install.sh', 'echo probe v4 >>/root/probe\n');
  const r = await rig.phx(['build', '1001'], {
    faults: [{ match: ['qm', 'agent'], action: 'fail' }],
  });
  assert.is(r.code, 1, r.stdout);
  assert.match(
    r.stdout + r.stderr,
    /VM 1001: the QEMU guest agent did not answer within 2s of start/,
  );
  // Rolled back to the last good layer, and nothing newer taken or recorded.
  assert.equal(layersOf1001(), ['vm/1001/clone', 'vm/1001/feature/base_setup']);
  const plan = await rig.planJson(['1001']);
  assert.ok(toBuild(plan.json).includes('vm/1001/feature/vm_probe'));
  assert.not.ok(toBuild(plan.json).includes('vm/1001/feature/base_setup'));
  const ok = await rig.buildJson(['1001']);
  assert.is(ok.code, 0, ok.stderr);
  assert.equal(layersOf1001(), [
    'vm/1001/clone',
    'vm/1001/feature/base_setup',
    'vm/1001/feature/vm_probe',
    'vm/1001/feature/trusted_ca',
    'vm/1001/feature/step_cli',
    'vm/1001/feature/docker',
  ]);
});

test.run();
