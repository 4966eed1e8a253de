// The shared backend contract, on real LXC containers from a busybox rootfs.
import { suite } from 'uvu';
import { registerBackendContract } from '../contract/backend-contract.ts';
import { lxcMissing, makeLxcHarness } from './lxc-harness.ts';

const test =
  lxcMissing() === undefined
    ? registerBackendContract('lxc', () => makeLxcHarness('phxtest0'))
    : suite('lxc contract (skipped)');
test.run();
