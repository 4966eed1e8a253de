// Item 8.11: `build --json` lists every host action of a build: each
// target's commands with its /etc/pve writes (as ["write-file", path]), the
// restarts, and the final starts. Checked against the sim node's journal,
// the node's own record of what was done to it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';
import { expectCode, simRun } from '../lifecycle/helpers.ts';

/** Queries that change nothing on the node: not actions. */
const readOnly = new Set(['status', 'config', 'listsnapshot', 'pending']);

function key(argv: readonly string[]): string {
  return JSON.stringify(argv);
}

function isAction(argv: readonly string[]): boolean {
  return !(argv[0] === 'pct' && readOnly.has(argv[1]!)) && !(argv[0] === 'pvesh');
}

/** Multiset of lines: each distinct line and how often it occurs. */
function counts(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

interface Json {
  targets: { id: string; commands: string[][] }[];
  starts: { guest: string; commands: string[][] }[];
  restart?: { commands?: string[][] };
}

test('build --all --json lists every command and host file write the node saw', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['--all']);
    expectCode(r, 0, 'build --all');
    const json = r.json as unknown as Json;
    const listed = [
      ...json.targets.flatMap((t) => t.commands),
      ...(json.restart?.commands ?? []),
      ...json.starts.flatMap((s) => s.commands),
    ]
      .filter(isAction)
      .map((c) => (c[0] === 'write-file' ? key(['writeFile', c[1]!]) : key(c)));
    const journal = rig
      .journal()
      .filter((e: { op: string }) => e.op === 'run' || e.op === 'writeFile')
      .map((e: { op: string; argv?: string[]; path?: string }) =>
        e.op === 'writeFile' ? ['writeFile', e.path!] : e.argv!,
      )
      .filter(isAction)
      .map(key);
    assert.equal(counts(listed), counts(journal));
    // The two kinds the JSON used to leave out are there.
    const writes = json.targets.flatMap((t) => t.commands.filter((c) => c[0] === 'write-file'));
    assert.ok(
      writes.some((c) => /^\/etc\/pve\/firewall\/\d+\.fw$/.test(c[1]!)),
      'firewall files',
    );
    assert.ok(
      writes.some((c) => /^\/etc\/pve\/lxc\/\d+\.conf$/.test(c[1]!)),
      'raw lxc lines in the CT config',
    );
    const fwTarget = json.targets.find((t) => t.id === 'lxc/103/firewall');
    assert.ok(
      fwTarget?.commands.some((c) => c[0] === 'write-file' && c[1] === '/etc/pve/firewall/103.fw'),
      JSON.stringify(fwTarget),
    );
    const started = json.starts.map((s) => s.guest);
    assert.ok(started.includes('103') && started.includes('950'), started.join(','));
    // A guest stopped behind phx's back: the next build --all starts it, and says so.
    assert.is((await simRun(rig, 'pct', 'stop', '950')).exitCode, 0);
    const again = await rig.buildJson(['--all']);
    expectCode(again, 0, 'second build --all');
    const j2 = again.json as unknown as Json;
    assert.equal(
      j2.targets.flatMap((t) => t.commands).filter(isAction),
      [],
      'nothing to build the second time',
    );
    const start950 = j2.starts.find((s) => s.guest === '950');
    assert.equal(start950?.commands, [
      ['pct', 'status', '950'],
      ['pct', 'start', '950'],
    ]);
  } finally {
    rig.cleanup();
  }
});

test.run();
