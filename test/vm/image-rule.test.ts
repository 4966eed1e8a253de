// rules/image.ts: the image is staged on the node through VmOps, the sim's
// stand-in image is refused by every backend but the sim (it boots nothing),
// and a backend without VMs (lxc) says so, naming the VM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rule } from '../../rules/image.ts';
import type { RuleContext } from '../../rules/rule.ts';
import type { BackendKind, VmImage } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import { simStandInMark } from '../../targets/vm-image.ts';

function context(kind: BackendKind, path: string, sha256: string, staged: VmImage[]) {
  const vmOps = {
    stageImage: (image: VmImage) => {
      staged.push(image);
      return Promise.resolve(`/var/lib/vz/images/phx/${image.sha256}.img`);
    },
    createVm: () => Promise.resolve(),
    waitForAgent: () => Promise.resolve(),
  };
  return {
    target: {
      id: 'vm/9000/image',
      entry: '9000',
      kind: 'image',
      guest: { kind: 'vm', id: 9000 },
      image: { type: 'file', name: 'noble.img', path, sha256 },
    },
    backend: { kind, vmOps: () => (kind === 'lxc' ? undefined : vmOps) },
    op: { log: () => undefined, commands: [], signal: new AbortController().signal },
  } as unknown as RuleContext<'image'>;
}

async function failure(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  assert.instance(e, OpError);
  return (e as OpError).message;
}

test('an image is staged; the stand-in only on the sim', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phx-image-rule-'));
  try {
    const real = join(dir, 'real.img');
    const standIn = join(dir, 'stand-in.img');
    writeFileSync(real, 'QFI\xfb a qcow2 header');
    writeFileSync(standIn, `${simStandInMark}\nnot a disk\n`);
    const staged: VmImage[] = [];
    assert.is(await rule.run(context('proxmox', real, 'a'.repeat(64), staged)), '');
    assert.is(await rule.run(context('sim', standIn, 'b'.repeat(64), staged)), '');
    assert.equal(staged, [
      { localPath: real, sha256: 'a'.repeat(64) },
      { localPath: standIn, sha256: 'b'.repeat(64) },
    ]);
    assert.is(
      await failure(rule.run(context('proxmox', standIn, 'b'.repeat(64), staged))),
      `VM 9000: ${standIn} is the sim's stand-in image (it starts with ${simStandInMark}), not a disk a VM can boot; give the real image in phoenix.build.ts images`,
    );
    assert.is(staged.length, 2, 'nothing staged for the refused one');
    assert.is(
      await failure(rule.run(context('lxc', real, 'a'.repeat(64), staged))),
      'VM 9000: the lxc backend has no VMs (build VMs with the proxmox or sim backend)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
