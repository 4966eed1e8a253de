// Rule digests cover each rule's import graph, and only it: an edit of a
// module that one rule imports rebuilds that rule's targets, an edit nothing
// imports rebuilds none, and the digests are the same under tsx (.ts), in
// the compiled binary (dist/) and wherever the package is checked out. Runs
// on copies of the real package, never on the checkout itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCache } from '../../src/cache/cache.ts';
import { type Cache } from '../../src/cache/cache-api.ts';
import { FileDigests } from '../../src/cache/file-digests.ts';
import { initHash } from '../../src/core/hash.ts';
import {
  computeRuleDigests,
  ruleDigests,
  type RuleDigests,
} from '../../src/engine/rule-digests.ts';
import type { TargetKind } from '../../src/core/target-id.ts';
import { rules } from '../../rules/index.ts';
import { repoRoot } from '../helpers/rig.ts';

await initHash();

/** The real rules' modules, relative to the package: `rules/check.ts`. */
const ruleFiles = Object.values(rules).map((r) => ({
  kind: r.kind,
  file: relative(repoRoot, fileURLToPath(r.source)),
}));

const temps: string[] = [];

/** A copy of the package's code (times kept, so its files are not "just written"). */
function copyPackage(opts: { dist: boolean; sources: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'phx-rule-digests-'));
  temps.push(dir);
  const parts = ['package.json', 'tsconfig.json'];
  if (opts.sources) parts.push('src', 'rules', 'targets');
  if (opts.dist) parts.push('dist');
  for (const p of parts) {
    cpSync(join(repoRoot, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  }
  return dir;
}

function modulesOf(root: string, mode: 'ts' | 'dist') {
  return ruleFiles.map(({ kind, file }) => ({
    kind,
    module: join(root, mode === 'ts' ? file : join('dist', file.replace(/\.ts$/, '.js'))),
  }));
}

async function digestsOf(root: string, mode: 'ts' | 'dist', cache?: Cache): Promise<RuleDigests> {
  // A new FileDigests each time: it memoises per path for one plan.
  return computeRuleDigests({
    root,
    rules: modulesOf(root, mode),
    digests: new FileDigests(cache),
    cache,
  });
}

/** Kinds whose digest differs between two computations. */
function changed(a: RuleDigests, b: RuleDigests): TargetKind[] {
  return [...a.digests.keys()].filter((k) => a.digests.get(k) !== b.digests.get(k)).sort();
}

/** Kinds whose graph holds `key`. */
function importers(d: RuleDigests, key: string): TargetKind[] {
  return [...d.modules].filter(([, ms]) => ms.includes(key)).map(([k]) => k);
}

/** Set a file's mtime well in the past, so the graph it is part of may be cached. */
function age(path: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, t, t);
}

function requireDist(): void {
  assert.ok(
    existsSync(join(repoRoot, 'dist', 'rules', 'check.js')),
    'dist/ is missing: run `npx tsc -p .` first (npm test does)',
  );
}

test('editing a module only rules/check.ts imports changes the check digest and no other', async () => {
  const root = copyPackage({ dist: false, sources: true });
  const before = await digestsOf(root, 'ts');
  assert.equal([...before.digests.keys()].sort(), ruleFiles.map((r) => r.kind).sort());
  // The premise, from the graph itself: health-check.ts is check's alone;
  // guest-ops.ts (the old hand-kept list) is shared, through imports.
  assert.equal(importers(before, 'rules/health-check.ts'), ['check']);
  assert.ok(importers(before, 'rules/guest-ops.ts').length > 1);
  assert.ok(before.modules.get('check')!.includes('rules/check.ts'));

  appendFileSync(join(root, 'rules/health-check.ts'), '\n// an edit\n');
  const after = await digestsOf(root, 'ts');
  assert.equal(changed(before, after), ['check']);

  // One level further down: command-words.ts reaches check only through health-check.ts.
  assert.equal(importers(before, 'src/model/command-words.ts'), ['check']);
  appendFileSync(join(root, 'src/model/command-words.ts'), '\n// an edit\n');
  assert.equal(changed(after, await digestsOf(root, 'ts')), ['check']);
});

test('an edit of a shared module changes every rule that imports it, and only those', async () => {
  const root = copyPackage({ dist: false, sources: true });
  const before = await digestsOf(root, 'ts');
  const users = importers(before, 'src/model/resolve-secrets.ts').sort();
  assert.ok(users.length > 0 && users.length < before.digests.size);
  appendFileSync(join(root, 'src/model/resolve-secrets.ts'), '\n// an edit\n');
  assert.equal(changed(before, await digestsOf(root, 'ts')), users);
});

test('a change that no rule imports leaves every digest', async () => {
  const root = copyPackage({ dist: false, sources: true });
  const before = await digestsOf(root, 'ts');
  for (const file of ['src/engine/execute.ts', 'src/commands/plan.ts', 'rules/index.ts']) {
    assert.equal(importers(before, file), [], file);
    appendFileSync(join(root, file), '\n// an edit\n');
  }
  // A type-only import adds no edge: types do not change what a rule does.
  assert.equal(importers(before, 'rules/rule.ts'), []);
  appendFileSync(join(root, 'rules/rule.ts'), '\n// an edit\n');
  const after = await digestsOf(root, 'ts');
  assert.equal(changed(before, after), []);
  assert.equal(after.digests, before.digests);
});

test('a new import, static or dynamic, enters the graph of the rule that makes it', async () => {
  const root = copyPackage({ dist: false, sources: true });
  const before = await digestsOf(root, 'ts');
  writeFileSync(join(root, 'src/engine/extra.ts'), 'export const extra = 1;\n');
  writeFileSync(join(root, 'src/engine/lazy.ts'), 'export const lazy = 2;\n');
  appendFileSync(
    join(root, 'rules/firewall.ts'),
    "\nimport { extra } from '../src/engine/extra.ts';\nexport const used = extra;\n" +
      "export const later = () => import('../src/engine/lazy.ts');\n",
  );
  const after = await digestsOf(root, 'ts');
  assert.equal(changed(before, after), ['firewall']);
  assert.equal(importers(after, 'src/engine/extra.ts'), ['firewall']);
  assert.equal(importers(after, 'src/engine/lazy.ts'), ['firewall']);
  appendFileSync(join(root, 'src/engine/lazy.ts'), '// an edit\n');
  assert.equal(changed(after, await digestsOf(root, 'ts')), ['firewall']);
});

test('the digests are the same from the .ts sources and from dist/, and after a move', async () => {
  requireDist();
  const a = copyPackage({ dist: true, sources: true });
  const b = copyPackage({ dist: true, sources: true });
  const fromTs = await digestsOf(a, 'ts');
  const fromDist = await digestsOf(a, 'dist');
  // Same graph (dist/ maps back to the sources), same bytes hashed.
  assert.equal(fromDist.modules, fromTs.modules);
  assert.equal(fromDist.digests, fromTs.digests);
  // Another folder: keys are relative to the package, so nothing changes.
  assert.equal((await digestsOf(b, 'dist')).digests, fromTs.digests);
  // The running process agrees with its copy (it runs the same sources).
  assert.equal(await ruleDigests(new FileDigests(undefined), undefined), fromTs.digests);
});

test('without sources beside dist/ the JavaScript is hashed, and its graph still decides', async () => {
  requireDist();
  const root = copyPackage({ dist: true, sources: false });
  const before = await digestsOf(root, 'dist');
  assert.equal(importers(before, 'dist/rules/health-check.js'), ['check']);
  assert.ok(before.modules.get('check')!.includes('dist/rules/check.js'));
  appendFileSync(join(root, 'dist/rules/health-check.js'), '\n// an edit\n');
  assert.equal(changed(before, await digestsOf(root, 'dist')), ['check']);
});

test('the cached graph is reused while the files are untouched, and never outlives an edit', async () => {
  const root = copyPackage({ dist: false, sources: true });
  const cache = await openCache(join(root, '.phoenix-cache'));
  try {
    const cold = await digestsOf(root, 'ts', cache);
    assert.is(cold.cached, false);
    const warm = await digestsOf(root, 'ts', cache);
    assert.is(warm.cached, true);
    assert.equal(warm.digests, cold.digests);
    assert.equal(warm.modules, cold.modules);

    // An edit: the stat differs, so the graph is recomputed and check changes.
    const hc = join(root, 'rules/health-check.ts');
    appendFileSync(hc, '\n// an edit\n');
    const edited = await digestsOf(root, 'ts', cache);
    assert.is(edited.cached, false);
    assert.equal(changed(cold, edited), ['check']);
    // Just written: the graph may have been read mid-write, so it is not kept.
    assert.is((await digestsOf(root, 'ts', cache)).cached, false);
    age(hc, 60);
    assert.is((await digestsOf(root, 'ts', cache)).cached, false);
    const again = await digestsOf(root, 'ts', cache);
    assert.is(again.cached, true);
    assert.equal(again.digests, edited.digests);

    // The package settings esbuild resolves with are part of what it read.
    appendFileSync(join(root, 'tsconfig.json'), '\n');
    age(join(root, 'tsconfig.json'), 30);
    assert.is((await digestsOf(root, 'ts', cache)).cached, false);
    assert.is((await digestsOf(root, 'ts', cache)).cached, true);

    // Saved as editors do (a new file renamed over the old one), same size
    // and mtime set back: only the inode tells, and it is enough.
    const { mtime } = statSync(hc);
    const text = readFileSync(hc, 'utf8').replace('// an edit', '// an tide');
    writeFileSync(`${hc}.new`, text);
    renameSync(`${hc}.new`, hc);
    utimesSync(hc, mtime, mtime);
    const rewritten = await digestsOf(root, 'ts', cache);
    assert.is(rewritten.cached, false);
    assert.equal(changed(again, rewritten), ['check']);
  } finally {
    await cache.close();
  }
});

test.after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

test.run();
