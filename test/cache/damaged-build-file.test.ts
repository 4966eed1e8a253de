// The compiled phoenix.build.ts kept under the cache is checked against the
// digest it carries before it runs: a copy emptied by a full disk, cut short,
// garbled or replaced is compiled again, silently (exit 0), and never run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Rig } from '../helpers/rig.ts';

const rig = Rig.create();
test.after(() => {
  rig.cleanup();
});

// A build file whose effect shows in the output: its own features folder.
const buildFile = `export default { featuresDir: 'feats', backend: 'sim' } satisfies Record<string, unknown>;\n`;

function compiled(): string {
  const dir = rig.path('.phoenix-cache/build-file');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  assert.is(files.length, 1, files.join(', '));
  return `${dir}/${files[0]!}`;
}

test('a damaged compiled build file is compiled again and never run', async () => {
  rig.write('phoenix.build.ts', buildFile);
  // The build file moves the features: only its folder name tells it was read.
  const { renameSync } = await import('node:fs');
  renameSync(rig.path('features'), rig.path('feats'));
  const first = await rig.phx(['validate']);
  assert.is(first.code, 0, first.stderr);
  const file = compiled();
  const whole = readFileSync(file, 'utf8');
  assert.match(whole, /\n\/\/ phx-sha256:[0-9a-f]{64}\n$/);

  const damages: [string, string][] = [
    ['zero-length (ENOSPC)', ''],
    ['cut short', whole.slice(0, Math.floor(whole.length / 2))],
    ['garbled', whole.replace('feats', 'feets')],
    [
      'replaced, digest kept',
      `process.stderr.write('RAN'); process.exit(7);\n${/\/\/ phx-sha256:.*\n$/.exec(whole)![0]}`,
    ],
    ['replaced, no digest', `process.stderr.write('RAN'); process.exit(7);\n`],
  ];
  let survived = 0;
  for (const [name, text] of damages) {
    writeFileSync(file, text);
    const r = await rig.phx(['validate']);
    assert.is(r.code, 0, `${name}: exit ${r.code}\n${r.stderr}`);
    assert.not.match(r.stderr, /RAN|phoenix\.build\.ts|internal error/, `${name}: ${r.stderr}`);
    assert.is(readFileSync(file, 'utf8'), whole, `${name}: rewritten whole`);
    // Quiet: recompiling is not news.
    assert.not.match(r.stderr, /build file|compil/i, name);
    survived++;
  }
  process.stdout.write(
    `compiled build file: ${damages.length} damages tried, ${survived} recovered with exit 0\n`,
  );
  // No temp file left behind by the atomic writes.
  assert.equal(
    readdirSync(rig.path('.phoenix-cache/build-file')).filter((f) => !f.endsWith('.mjs')),
    [],
  );
});

test.run();
