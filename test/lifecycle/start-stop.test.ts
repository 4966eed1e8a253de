// phx start/stop/restart through the real binary: dependencies start first,
// dependents stop first, --all follows boot_order and skips templates, VMs
// among the containers by their dependencies. Order is read from the sim's
// journal (`pct` and `qm` lines), not from timing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { builtRig, expectCode, journalled } from './helpers.ts';

let rig: Rig;
test.before(async () => {
  rig = await builtRig();
});
test.after(() => {
  rig.cleanup();
});

async function phxOk(...args: string[]) {
  const r = await rig.phx(args);
  expectCode(r, 0, args.join(' '));
  return r;
}

test('stop --all stops every guest, dependents before what they depend on', async () => {
  const from = rig.journal().length;
  await phxOk('stop', '--all');
  const stopped = journalled(rig, 'stop', from);
  // 950/953/955 depend on 102; 101 and 102 on 103.
  for (const [dependent, dependency] of [
    ['950', '102'],
    ['953', '102'],
    ['955', '102'],
    ['101', '103'],
    ['102', '103'],
    ['1002', '1001'],
    ['1001', '102'],
  ]) {
    assert.ok(
      stopped.indexOf(dependent!) < stopped.indexOf(dependency!),
      `${dependent} before ${dependency}: ${stopped.join(' ')}`,
    );
  }
  for (const id of ['900', '901', '921'])
    assert.ok(stopped.includes(id), `template ${id} (running since its build) is stopped too`);
});

test('start ID starts its dependencies first, and nothing else', async () => {
  const from = rig.journal().length;
  const r = await phxOk('start', '950');
  assert.equal(journalled(rig, 'start', from), ['103', '102', '950']);
  assert.match(r.stdout, /^started 103 Step-CA \(dependency\)$/m);
  assert.match(r.stdout, /^started 950 vllm-qwen2\.5-7b-awq$/m);
  // Already running: no second pct start.
  const again = rig.journal().length;
  const r2 = await phxOk('start', '950');
  assert.equal(journalled(rig, 'start', again), []);
  assert.match(r2.stdout, /^already running 950 /m);
});

test('stop ID stops its running dependents first', async () => {
  const from = rig.journal().length;
  const r = await phxOk('stop', '103');
  assert.equal(journalled(rig, 'stop', from), ['950', '102', '103']);
  assert.match(r.stdout, /^stopped 950 vllm-qwen2\.5-7b-awq \(dependent\)$/m);
});

test('start --all starts the start_at_boot guests in boot_order and skips templates', async () => {
  await phxOk('stop', '--all');
  const from = rig.journal().length;
  const r = await phxOk('start', '--all');
  const started = journalled(rig, 'start', from);
  // boot_order: 103=1, 101=2, 102=3, VM 1001=4, VM 1002=5, 950=6, 955=6, 953=7;
  // 900/901/921 and VM 9000 are templates.
  assert.equal(started, ['103', '101', '102', '1001', '1002', '950', '955', '953']);
  assert.not.match(r.stderr, /not managed/);
});

test('restart ID stops and starts it, bringing back the dependents that ran', async () => {
  await phxOk('stop', '953');
  const from = rig.journal().length;
  await phxOk('restart', '102');
  // VM 1001 depends on 102 and 1002 on 1001: they go down first and come back after.
  assert.equal(journalled(rig, 'stop', from), ['955', '950', '1002', '1001', '102']);
  const started = journalled(rig, 'start', from);
  assert.equal(started[0], '102');
  assert.equal([...started].sort(), ['1001', '1002', '102', '950', '955']);
  assert.ok(started.indexOf('1001') < started.indexOf('1002'), started.join(' '));
});

test('a VM starts after what it depends on (1002 on 1001 on container 102); a missing guest or no ids is an error', async () => {
  await phxOk('stop', '102');
  const from = rig.journal().length;
  const vm = await phxOk('start', '1002');
  assert.equal(journalled(rig, 'start', from), ['102', '1001', '1002']);
  assert.match(vm.stdout, /^started 1002 Dr-Phoenix$/m);
  const none = await rig.phx(['stop']);
  expectCode(none, 1, 'stop without ids');
  assert.match(none.stderr, /name the guests \(CTIDs\) or use --all/);
  const unknown = await rig.phx(['start', '777']);
  expectCode(unknown, 1, 'start 777');
  assert.match(unknown.stderr, /777 is not a CTID or VMID in the configs/);
});

test.run();
