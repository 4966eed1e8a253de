#!/usr/bin/env node
// Question: how long does a no-op `phx plan --all` take, as a whole process,
// compared with ninja's no-op on the same graph, and does it grow linearly
// with the number of entries? (issue "The engine", item 8: within 3× of
// ninja, linear growth.)
//
//   node bench/noop-plan.mjs                 # 500 and 2,000 entries, with growth
//   node bench/noop-plan.mjs --entries 2000  # one size only
//   options: --reps 7 (timed runs per command, interleaved), --no-profile
//
// Each size: a workspace with the 900 → 901 → 921 template chain and N apps
// cloned from 921 (7 targets each), sim-built once with PHX_SIM_SCALE=0; the
// graph phx reports (`phx graph --format json`) written as a build.ninja with
// one edge per target (outputs are files, inputs the same dependency edges)
// and built once for real so `.ninja_log` exists. Then the commands are timed
// round-robin — node start-up, CLI import, phx's fixed cost, phx plan
// --offline (no sim query), phx plan, ninja — so drift in the machine's load
// hits all of them alike, and medians are compared.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { summarise } from './lib/cpu-profile.mjs';
import {
  expectOk,
  fmt,
  lxcConfigs,
  makeWorkspace,
  median,
  phx,
  phxBin,
  phxEnv,
  ratio,
  removeWorkspace,
  repoRoot,
  run,
} from './lib/workspace.mjs';

const { values: opts } = parseArgs({
  options: {
    entries: { type: 'string', multiple: true },
    reps: { type: 'string', default: '7' },
    'no-profile': { type: 'boolean', default: false },
  },
});
const sizes = (opts.entries ?? ['500', '2000']).map(Number);
const reps = Number(opts.reps);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(reps >= 1)) {
  console.error('usage: node bench/noop-plan.mjs [--entries N]… [--reps R] [--no-profile]');
  process.exit(2);
}

const log = (s) => process.stderr.write(`bench: ${s}\n`);

// ninja must exist: the comparison is the point of this benchmark.
const ninjaVersion = await run('ninja', ['--version']).catch(() => undefined);
if (!ninjaVersion || ninjaVersion.code !== 0) {
  console.error('ninja not found: install it (Debian: apt-get install -y ninja-build)');
  process.exit(1);
}

/** ninja paths may not hold `$`, `:` or spaces unescaped; target ids never do, `/` just becomes `_`. */
const outPath = (id) => `out/${id.replaceAll('/', '_')}`;

function writeNinja(dir, graph) {
  const deps = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) deps.get(e.to).push(e.from);
  const lines = ['ninja_required_version = 1.5', 'rule touch', '  command = touch $out', ''];
  for (const n of graph.nodes) {
    const ins = deps.get(n.id).map(outPath).join(' ');
    lines.push(`build ${outPath(n.id)}: touch${ins ? ` ${ins}` : ''}`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'build.ninja'), lines.join('\n') + '\n');
}

// Imports the compiled CLI and exits: start-up plus module loading, no command run.
const importCli = `await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'src', 'cli.js')).href)})`;

const env = { PHX_SIM_SCALE: '0' };

/** A no-op plan that must report nothing to build: the exit code and the text are the assertion. */
async function noopPlan(dir, extra = []) {
  // --detailed-exitcode: 0 only when nothing would build, so every timed run is also the assertion.
  const r = await run(
    process.execPath,
    [phxBin, 'plan', '--all', '--detailed-exitcode', ...extra],
    { cwd: dir, env: phxEnv(dir, env) },
  );
  if (r.code !== 0 || !/Nothing to build/.test(r.stdout)) {
    throw new Error(
      `no-op plan was not a no-op (exit ${r.code}):\n${r.stdout.slice(0, 3000)}\n${r.stderr.slice(-2000)}`,
    );
  }
  return r;
}

// The CLI imports its commands lazily, so "import the CLI" leaves most module
// loading inside the plan. A no-op plan of the templates alone (12 targets)
// loads the same modules and opens the same cache and sim node: its time is
// phx's fixed cost, and what a large plan adds on top of it is the part that
// should grow with the graph.
const fixedDir = makeWorkspace('phx-bench-noop-fixed-', lxcConfigs({ apps: 0 }));
let fixedTargets;
try {
  expectOk(await phx(fixedDir, ['build', '--all', '--quiet'], env), 'phx build (templates only)');
  const g = JSON.parse(
    expectOk(await phx(fixedDir, ['graph', '--all', '--format', 'json'], env), 'phx graph').stdout,
  );
  fixedTargets = g.nodes.length;
} catch (e) {
  removeWorkspace(fixedDir);
  throw e;
}

async function measure(n) {
  const dir = makeWorkspace(`phx-bench-noop-${n}-`, lxcConfigs({ apps: n }));
  try {
    log(`${n} entries: sim build (PHX_SIM_SCALE=0) in ${dir}`);
    const build = expectOk(
      await phx(dir, ['build', '--all', '--quiet', '-j', '8'], env),
      'phx build --all',
    );
    log(`${n} entries: sim build took ${fmt(build.ms)}`);
    const graph = JSON.parse(
      expectOk(await phx(dir, ['graph', '--all', '--format', 'json'], env), 'phx graph').stdout,
    );

    const ninjaDir = join(dir, 'ninja');
    writeNinja(ninjaDir, graph);
    const jobs = String(availableParallelism() * 2);
    log(`${n} entries: first ninja build (${graph.nodes.length} touches)`);
    expectOk(await run('ninja', ['-j', jobs], { cwd: ninjaDir }), 'first ninja build');
    if (readdirSync(join(ninjaDir, 'out')).length !== graph.nodes.length)
      throw new Error('ninja made the wrong number of outputs');

    const commands = {
      node: () => run(process.execPath, ['-e', '0']),
      import: () => run(process.execPath, ['--input-type=module', '-e', importCli]),
      fixed: () => noopPlan(fixedDir),
      offline: () => noopPlan(dir, ['--offline']),
      phx: () => noopPlan(dir),
      ninja: async () => {
        const r = await run('ninja', ['-j', jobs], { cwd: ninjaDir });
        if (r.code !== 0 || !/no work to do/.test(r.stdout))
          throw new Error(`ninja had work to do:\n${r.stdout.slice(0, 2000)}`);
        return r;
      },
    };
    const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    // One untimed round first: page cache and LMDB's map warm for every command alike.
    for (const f of Object.values(commands)) await f();
    for (let i = 0; i < reps; i++) {
      for (const [k, f] of Object.entries(commands)) times[k].push((await f()).ms);
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));

    let profile;
    if (!opts['no-profile']) {
      const profDir = join(dir, 'prof');
      await run(
        process.execPath,
        ['--cpu-prof', '--cpu-prof-dir', profDir, phxBin, 'plan', '--all'],
        { cwd: dir, env: phxEnv(dir, env) },
      );
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      profile = file ? summarise(join(profDir, file), repoRoot) : undefined;
    }
    return {
      n,
      targets: graph.nodes.length,
      edges: graph.edges.length,
      buildMs: build.ms,
      m,
      times,
      profile,
    };
  } finally {
    removeWorkspace(dir);
  }
}

const results = [];
try {
  for (const n of sizes) results.push(await measure(n));
} finally {
  removeWorkspace(fixedDir);
}

console.log(
  `noop-plan: node ${process.version}, ninja ${ninjaVersion.stdout.trim()}, ${availableParallelism()} CPUs, ${reps} interleaved runs per command, medians`,
);
for (const r of results) {
  const { m } = r;
  console.log(
    `\n== ${r.n} entries: ${r.targets} targets, ${r.edges} edges (sim build with PHX_SIM_SCALE=0 took ${fmt(r.buildMs)})`,
  );
  console.log(`node -e 0 (start-up)             ${fmt(m.node)}`);
  console.log(
    `node importing dist/src/cli.js    ${fmt(m.import)}   (import alone: ${fmt(m.import - m.node)})`,
  );
  console.log(
    `phx plan, templates only (${fixedTargets} tg)  ${fmt(m.fixed)}   (phx's fixed cost: start-up, modules, cache, sim node)`,
  );
  console.log(
    `phx plan --all (no-op, asserted)  ${fmt(m.phx)}   (minus node start-up: ${fmt(m.phx - m.node)}; minus fixed cost: ${fmt(m.phx - m.fixed)})`,
  );
  console.log(
    `phx plan --all --offline (no-op)  ${fmt(m.offline)}   (records trusted, no sim query: the backend's one query per guest costs ${fmt(m.phx - m.offline)})`,
  );
  console.log(`ninja (no work to do)             ${fmt(m.ninja)}`);
  console.log(
    `ratio phx / ninja (whole processes)      ${ratio(m.phx / m.ninja)}   goal ≤ 3.00×: ${m.phx / m.ninja <= 3 ? 'met' : 'NOT met'}`,
  );
  console.log(`ratio (phx − node start-up) / ninja      ${ratio((m.phx - m.node) / m.ninja)}`);
  console.log(`ratio (phx − fixed cost) / ninja         ${ratio((m.phx - m.fixed) / m.ninja)}`);
  console.log(`ratio phx --offline / ninja              ${ratio(m.offline / m.ninja)}`);
  console.log(
    `phx's time: node start-up ${pct(m.node, m.phx)}, rest of fixed cost ${pct(m.fixed - m.node, m.phx)}, graph + fingerprints + records ${pct(m.offline - m.fixed, m.phx)}, sim queries ${pct(m.phx - m.offline, m.phx)}`,
  );
  console.log(
    `per target: phx ${fmtUs((m.phx - m.fixed) / (r.targets - fixedTargets))} above its fixed cost, ninja ${fmtUs(m.ninja / r.targets)} whole process`,
  );
  for (const k of Object.keys(r.times))
    console.log(`raw runs ${k.padEnd(6)} (ms): ${r.times[k].map((x) => x.toFixed(0)).join(' ')}`);
  if (r.profile) {
    const p = r.profile;
    console.log(
      `cpu profile of one phx plan (node --cpu-prof, ${fmt(p.total)} sampled): self time by module`,
    );
    for (const [k, v] of p.modules)
      console.log(`  ${fmt(v).padStart(10)}  ${pct(v, p.total).padStart(4)}  ${k}`);
    console.log('  top functions by self time');
    for (const [k, v] of p.functions)
      console.log(`  ${fmt(v).padStart(10)}  ${pct(v, p.total).padStart(4)}  ${k}`);
    console.log(
      "  phx's own functions, with the library and native work they call (nearest repo caller)",
    );
    for (const [k, v] of p.ownCallers)
      console.log(`  ${fmt(v).padStart(10)}  ${pct(v, p.total).padStart(4)}  ${k}`);
  }
}
if (results.length >= 2) {
  const a = results[0];
  const b = results[results.length - 1];
  const targets = b.targets / a.targets;
  console.log(
    `\n== growth ${b.n} / ${a.n} entries: targets ×${targets.toFixed(2)}, so linear growth of the per-graph part is ×${targets.toFixed(2)}`,
  );
  console.log(`phx plan, whole process         ${ratio(b.m.phx / a.m.phx)}`);
  console.log(
    `phx plan, minus node start-up   ${ratio((b.m.phx - b.m.node) / (a.m.phx - a.m.node))}`,
  );
  console.log(
    `phx plan, minus fixed cost      ${ratio((b.m.phx - b.m.fixed) / (a.m.phx - a.m.fixed))}   (per target: ${fmtUs((a.m.phx - a.m.fixed) / (a.targets - fixedTargets))} → ${fmtUs((b.m.phx - b.m.fixed) / (b.targets - fixedTargets))})`,
  );
  console.log(
    `phx plan --offline, minus fixed ${ratio((b.m.offline - b.m.fixed) / (a.m.offline - a.m.fixed))}`,
  );
  console.log(
    `sim queries (live − offline)    ${ratio((b.m.phx - b.m.offline) / (a.m.phx - a.m.offline))}`,
  );
  console.log(`ninja, whole process            ${ratio(b.m.ninja / a.m.ninja)}`);
  console.log(
    `phx / ninja ratio at ${a.n} → ${b.n}: ${ratio(a.m.phx / a.m.ninja)} → ${ratio(b.m.phx / b.m.ninja)}`,
  );
}

function pct(part, whole) {
  return `${Math.round((100 * part) / whole)}%`;
}
function fmtUs(ms) {
  return `${(ms * 1000).toFixed(1)} µs`;
}
