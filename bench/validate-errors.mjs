#!/usr/bin/env node
// Question: is reporting errors linear in their number? (issue 9, item 5:
// 4,756 duplicate-IP errors took 29 s to report where a valid 5,000-entry
// file validated in 0.6 s.) And does a valid project still load fast (a
// 2,000-entry file well under 100 ms)?
//
//   node bench/validate-errors.mjs                    # 5,000 entries, 5 reps
//   options: --entries 5000 --reps 5 --load-entries 2000
//
// Two workspaces of N entries each (the benchmark chain 900 → 901 → 921 and
// N apps): one valid, one where every app has the same IP, so every app but
// the first is a duplicate-IP error. `phx validate` is timed on both as a
// whole process, interleaved, and the ratio of the medians printed (goal: a
// small constant, ≤ 3×: the error run does the valid run's work plus one
// diagnostic per entry). Then, in this process from dist/, readSource of a
// valid --load-entries file (goal < 100 ms) and loadProject of its project.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  fmt,
  lxcConfigs,
  makeWorkspace,
  median,
  phx,
  ratio,
  removeWorkspace,
  repoRoot,
} from './lib/workspace.mjs';

const { values: opts } = parseArgs({
  options: {
    entries: { type: 'string', default: '5000' },
    reps: { type: 'string', default: '5' },
    'load-entries': { type: 'string', default: '2000' },
  },
});
const entries = Number(opts.entries);
const reps = Number(opts.reps);
const loadEntries = Number(opts['load-entries']);

function sameIpEverywhere(lxc) {
  for (const [id, entry] of Object.entries(lxc.lxc_configs)) {
    if (Number(id) >= 1000) entry.network_config.ip = '10.20.99.99/16';
  }
  return lxc;
}

const valid = makeWorkspace('phx-bench-valid-', lxcConfigs({ apps: entries }));
const broken = makeWorkspace('phx-bench-errors-', sameIpEverywhere(lxcConfigs({ apps: entries })));
const loadDir = makeWorkspace('phx-bench-load-', lxcConfigs({ apps: loadEntries }));
try {
  const times = { valid: [], errors: [] };
  let errorOutput = '';
  for (let i = 0; i < reps; i++) {
    process.stderr.write(`rep ${i + 1}/${reps}\n`);
    const v = await phx(valid, ['validate']);
    if (v.code !== 0) throw new Error(`the valid workspace did not validate:\n${v.stderr}`);
    times.valid.push(v.ms);
    const e = await phx(broken, ['validate']);
    if (e.code !== 1) throw new Error(`the broken workspace exited ${e.code}:\n${e.stderr}`);
    times.errors.push(e.ms);
    errorOutput = e.stderr;
  }
  const mv = median(times.valid);
  const me = median(times.errors);
  const summary = errorOutput.trimEnd().split('\n').slice(-2);
  console.log(`entries: ${entries}; the error run ends with: ${summary.join(' / ')}`);
  console.log(`phx validate, valid:          ${fmt(mv)} (median of ${reps})`);
  console.log(`phx validate, ${entries - 1} errors: ${fmt(me)} (median of ${reps})`);
  console.log(
    `ratio errors/valid: ${ratio(me / mv)} (goal ≤ 3×: ${me / mv <= 3 ? 'met' : 'NOT met'})`,
  );

  const dist = (m) => pathToFileURL(join(repoRoot, 'dist', 'src', 'model', m)).href;
  const { readSource } = await import(dist('source.js'));
  const { loadProject } = await import(dist('load.js'));
  const lxcPath = join(loadDir, 'configs', 'phoenix_lxc_configs.json');
  const reads = [];
  const loads = [];
  // The first round also compiles the modules: not counted.
  for (let i = 0; i < reps + 1; i++) {
    let t0 = process.hrtime.bigint();
    const file = await readSource(lxcPath, 'lxc');
    const readMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (file.syntaxErrors.length > 0) throw new Error('the load workspace does not parse');
    t0 = process.hrtime.bigint();
    const r = await loadProject({ configDir: 'configs', featuresDir: 'features', cwd: loadDir });
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.project === undefined) throw new Error('the load workspace is not valid');
    if (i > 0) {
      reads.push(readMs);
      loads.push(loadMs);
    }
  }
  const mr = median(reads);
  console.log(
    `readSource, the ${loadEntries + 3}-entry LXC file (read, depth/duplicate checks, JSON.parse): ${fmt(mr)} (median of ${reps}; goal < 100 ms: ${mr < 100 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `loadProject, the whole ${loadEntries + 3}-entry project (schemas and checks too): ${fmt(median(loads))} (median of ${reps})`,
  );
} finally {
  removeWorkspace(valid);
  removeWorkspace(broken);
  removeWorkspace(loadDir);
}
