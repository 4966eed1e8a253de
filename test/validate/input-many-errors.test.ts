// Issue 9, item 5: thousands of errors are reported in time linear in their
// number and shown capped: the first SHOWN_DIAGNOSTICS (errors before
// warnings), then "… and N more"; --json still lists every one. (4,756
// duplicate-IP errors used to take 29 s; bench/validate-errors.mjs measures
// the time, this test checks the cap and the counts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SHOWN_DIAGNOSTICS } from '../../src/model/render.ts';
import { cleanup, ct, LXC, lxcFile } from './rig.ts';
import { assertNoTrace, headers, validate } from './input-cli.ts';

const L = 'configs/phoenix_lxc_configs.json';
const ENTRIES = 5_000;

/** `count` CTs from 1000 up, every one with the same IP: all but the first are errors. */
function sameIp(count: number): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    entries[String(1000 + i)] = ct(`app-${i}`, { network_config: { ip: '10.0.0.5/24' } });
  }
  return lxcFile(entries);
}

test(`${ENTRIES} entries with one IP: ${SHOWN_DIAGNOSTICS} shown, then "and N more", then the full count`, () => {
  const r = validate({ configs: { [LXC]: sameIp(ENTRIES) } });
  assert.is(r.code, 1, r.stderr.slice(0, 2000));
  assertNoTrace(r.stderr);
  const shown = headers(r.stderr);
  assert.is(shown.length, SHOWN_DIAGNOSTICS);
  // Entry i starts at line 3 + 8i (ct() and JSON.stringify's indentation); its IP is 5 lines in.
  assert.is(
    shown[0],
    `${L}:16:15: error: /lxc_configs/1001/network_config/ip: IP 10.0.0.5 is also used by CT 1000`,
  );
  assert.is(
    shown.at(-1),
    `${L}:${16 + 8 * (SHOWN_DIAGNOSTICS - 1)}:15: error: /lxc_configs/${1000 + SHOWN_DIAGNOSTICS}/network_config/ip: IP 10.0.0.5 is also used by CT 1000`,
  );
  const errors = ENTRIES - 1;
  assert.ok(
    r.stderr.endsWith(
      `… and ${errors - SHOWN_DIAGNOSTICS} more errors\ninvalid: ${errors} errors\n`,
    ),
    r.stderr.slice(-300),
  );
});

test('--json lists every diagnostic, uncapped', () => {
  const r = validate({ configs: { [LXC]: sameIp(ENTRIES) } }, ['--json']);
  assert.is(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
  assert.is(doc.diagnostics.length, ENTRIES - 1);
  assert.ok(doc.diagnostics.every((d) => d.code === 'duplicate-ip'));
});

test('over the cap, errors are shown before warnings, in file order; the rest are counted', () => {
  // 60 entries with an unknown key (warnings) first, then 3 duplicate IPs (errors).
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < 60; i++) entries[String(1000 + i)] = ct(`w-${i}`, { colour: 'red' });
  for (let i = 0; i < 4; i++) {
    entries[String(2000 + i)] = ct(`e-${i}`, { network_config: { ip: '10.0.0.9/24' } });
  }
  const r = validate({ configs: { [LXC]: lxcFile(entries) } });
  assert.is(r.code, 1, r.stderr);
  const shown = headers(r.stderr);
  assert.is(shown.length, SHOWN_DIAGNOSTICS);
  const errors = shown.filter((h) => h.includes(': error: '));
  assert.is(errors.length, 3);
  // Order kept: the warnings shown are the first 47, the errors come after them.
  assert.ok(shown[0]!.endsWith('/lxc_configs/1000/colour: unknown key "colour"'), shown[0]);
  assert.ok(shown.slice(-3).every((h) => h.includes(': error: ')));
  assert.ok(
    r.stderr.endsWith(`… and 13 more warnings\ninvalid: 3 errors, 60 warnings\n`),
    r.stderr.slice(-300),
  );
});

test('a list within the cap is shown whole, without a trailer', () => {
  const r = validate({ configs: { [LXC]: sameIp(SHOWN_DIAGNOSTICS + 1) } });
  assert.is(r.code, 1, r.stderr);
  assert.is(headers(r.stderr).length, SHOWN_DIAGNOSTICS);
  assert.not.match(r.stderr, /… and \d+ more/);
  assert.ok(r.stderr.endsWith(`invalid: ${SHOWN_DIAGNOSTICS} errors\n`), r.stderr.slice(-200));
});

test.after(cleanup);
test.run();
