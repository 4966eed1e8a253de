// A damaged .phoenix-cache/state.mdb is a clear error, never a crash: the
// real phx on a sim-built workspace, its data file emptied, truncated or
// garbled. Every command that opens the cache exits 1 with one paragraph
// naming the file and `phx cache rebuild`; rebuild moves the file aside
// (kept) and re-derives the records from the host's snapshot descriptions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  copyFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { Rig, toBuild, type PhxResult } from '../helpers/rig.ts';
import { checkLmdbFile } from '../../src/cache/lmdb-check.ts';

const rig = Rig.create();
const data = rig.path('.phoenix-cache/state.mdb');
const good = rig.path('good.mdb');
const page = 4096;

/** One paragraph, no stack trace, no internal error. */
function assertClearDamage(r: PhxResult, what: RegExp, label: string): void {
  assert.is(r.code, 1, `${label}: exit ${r.code}\n${r.stderr}`);
  const text = r.stderr.trim();
  assert.match(text, /^phx: the cache's data file \S+state\.mdb is damaged \(/, label);
  assert.match(text, what, label);
  assert.match(text, /phx cache rebuild/, label);
  assert.not.match(text, /\n/, `${label}: more than one paragraph:\n${text}`);
  assert.not.match(text, /internal error|\bat .*\.js:\d+/, label);
}

let damaged = Buffer.alloc(0);

function restore(damage: (file: string) => void): void {
  for (const f of readdirSync(rig.path('.phoenix-cache')))
    if (f.startsWith('state.mdb')) rmSync(rig.path(`.phoenix-cache/${f}`));
  copyFileSync(good, data);
  damage(data);
  damaged = readFileSync(data);
}

function garble(file: string, at: number, bytes: Buffer): void {
  const b = readFileSync(file);
  bytes.copy(b, at);
  writeFileSync(file, b);
}

/** Deterministic noise: the same bytes on every run of the test. */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

test.before(async () => {
  const built = await rig.phx(['build', '--all']);
  assert.is(built.code, 0, built.stderr);
  copyFileSync(data, good);
});
test.after(() => {
  rig.cleanup();
});

const cases: {
  name: string;
  damage: (f: string) => void;
  says: RegExp;
  /** Also build and re-plan after the rebuild (slow: two cases do it). */
  full?: boolean;
}[] = [
  {
    name: 'zero-length',
    damage: (f) => {
      writeFileSync(f, '');
    },
    says: /it is empty: 0 bytes/,
    full: true,
  },
  {
    name: 'truncated to half',
    damage: (f) => {
      truncateSync(f, Math.floor(readFileSync(good).length / 2));
    },
    says: /it is truncated: \d+ bytes where its pages need at least \d+/,
  },
  {
    name: 'truncated inside the header',
    damage: (f) => {
      truncateSync(f, 100);
    },
    says: /it has only 100 bytes/,
  },
  {
    name: 'garbled meta pages',
    damage: (f) => {
      garble(f, 0, noise(2 * page, 7));
    },
    says: /meta page 0 does not carry the LMDB magic number/,
  },
  {
    name: 'garbled data pages',
    damage: (f) => {
      garble(f, 2 * page, noise(readFileSync(good).length - 2 * page, 11));
    },
    says: /page \d+ is garbled/,
    full: true,
  },
];

for (const c of cases) {
  test(`${c.name} state.mdb: every command says so; cache rebuild moves it aside and re-derives`, async () => {
    restore(c.damage);
    const commands = c.full
      ? [['plan'], ['build', '950'], ['cache', 'ls'], ['cache', 'verify']]
      : [['plan'], ['cache', 'verify']];
    for (const args of commands)
      assertClearDamage(await rig.phx(args), c.says, `${c.name}: phx ${args.join(' ')}`);

    const rebuilt = await rig.phx(['cache', 'rebuild']);
    assert.is(rebuilt.code, 0, rebuilt.stderr);
    const moved = /moved it to (\S+state\.mdb\.damaged-\S+) /.exec(rebuilt.stderr);
    assert.ok(moved, rebuilt.stderr);
    // Kept, byte for byte, where the message says.
    assert.ok(readFileSync(moved[1]!).equals(damaged), 'the damaged file is kept as it was');
    assert.match(rebuilt.stderr, /rebuilt (\d+) records from snapshot descriptions/);
    // Every layer is vouched for by its snapshot: only targets without a
    // snapshot (settings, firewall, checks, generated files, a VM image staged
    // by content, and the host's
    // targets, whose rules re-apply idempotently) are left to re-apply.
    const plan = await rig.planJson();
    assert.is(plan.code, 0, plan.stderr);
    const left = toBuild(plan.json);
    assert.ok(left.length > 0);
    for (const id of left)
      assert.match(id, /\/(settings|firewall|check|image|generated\/[^/]+)$|^host\//, id);
    if (!c.full) return;
    const again = await rig.phx(['build', '--all']);
    assert.is(again.code, 0, again.stderr);
    const noop = await rig.phx(['plan']);
    assert.match(noop.stdout, /Nothing to build: \d+ targets up to date\./, noop.stdout);
  });
}

test('garbled pages one at a time: never a crash, never a stack trace', async () => {
  const size = readFileSync(good).length;
  let tried = 0;
  let refused = 0;
  let sound = 0;
  for (let p = 0; p < size / page; p++) {
    restore((f) => {
      garble(f, p * page + 16, noise(64, 1000 + p));
    });
    tried++;
    const check = checkLmdbFile(data);
    if (check.type === 'damaged') {
      // Refused before lmdb-js maps it: the CLI says so (as the cases above show).
      refused++;
      if (p % 8 === 0) assertClearDamage(await rig.phx(['cache', 'ls']), /is damaged/, `page ${p}`);
      continue;
    }
    // Judged sound: lmdb-js reads every record without faulting.
    const r = await rig.phx(['cache', 'ls']);
    assert.not.match(r.stderr, /internal error|\bat .*\.js:\d+/, `page ${p}: ${r.stderr}`);
    assert.is(r.code, 0, `page ${p}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stdout, /^\d+ records$/m, `page ${p}`);
    sound++;
  }
  process.stdout.write(
    `garbled pages: ${tried} tried, ${tried} survived (${refused} refused as damaged, ${sound} on pages no snapshot reaches)\n`,
  );
  assert.ok(refused > 0 && sound > 0);
});

test.run();
