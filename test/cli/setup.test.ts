// `phx setup` builds the host's targets that need no guest's work (the CA
// trust waits for the Step-CA container's root) and nothing of the guests;
// `host` selects the same targets in plan and build.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, built, toBuild } from '../helpers/rig.ts';

test('setup builds every host target and no guest; plan host is then a no-op and guests still plan', async () => {
  const rig = Rig.create();
  try {
    const before = await rig.planJson(['host']);
    const hostIds = toBuild(before.json);
    assert.ok(hostIds.length > 0);
    assert.ok(
      hostIds.every((id) => id.startsWith('host/')),
      hostIds.join(' '),
    );

    const r = await rig.phx(['setup', '--json']);
    assert.is(r.code, 0, r.stderr);
    const done = built(JSON.parse(r.stdout) as Parameters<typeof built>[0]);
    assert.equal(done, hostIds);

    const again = await rig.phx(['plan', 'host', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);
    const all = await rig.planJson();
    const rest = toBuild(all.json);
    assert.ok(rest.length > 0 && rest.every((id) => !hostIds.includes(id)), rest.join(' '));
    // What is left of the host waits for a guest: the CA trust, on 103's app.
    assert.equal(
      rest.filter((x) => x.startsWith('host/')),
      ['host/ca-trust/step-ca'],
    );
  } finally {
    rig.cleanup();
  }
});

test('setup --dry-run changes nothing; setup takes no ids', async () => {
  const rig = Rig.create();
  try {
    const dry = await rig.phx(['setup', '--dry-run']);
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /host\/zfs-pool\//);
    assert.not.match(dry.stdout, /lxc\/\d+\//);
    const plan = await rig.planJson(['host']);
    assert.ok(toBuild(plan.json).length > 0, 'the dry run built nothing');
    const extra = await rig.phx(['setup', '950']);
    assert.is(extra.code, 1, extra.stderr);
  } finally {
    rig.cleanup();
  }
});

test.run();
