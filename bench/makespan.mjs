#!/usr/bin/env node
// Question: how close does `phx build -j 8` come to the shortest build the
// graph allows, and how much faster is it than a sequential build? (issue
// "The engine", item 8: makespan within 1.10× of the lower bound.)
//
//   node bench/makespan.mjs            # options: --apps 40 --jobs 8 --from901-every 5
//
// The graph: templates 900 → 901 → 921, 40 apps cloned from 921 (every 5th
// from 901, so two clone sources compete for their locks), each app with two
// features, an application script, a health check and a firewall. The sim
// node sleeps a fixed time per operation (durations below, PHX_SIM_SCALE=1).
//
// The lower bound comes from the run's own per-target times (end − start is
// each target's work, so sim overhead and phx's own costs are in it):
//   - critical path: the longest chain of build edges (`phx graph`), summing
//     the work of the targets on it;
//   - total work / jobs;
//   - per clone source: Proxmox locks a CT while it is cloned, so its clones
//     run one after another once its template snapshot exists: the time that
//     snapshot ended plus the sum of its clones' `clone` work (and, tighter,
//     plus the shortest chain that must still follow the last clone);
//   - per target: its earliest possible end plus the work after it / jobs.
// The bound is the largest of these.
import { parseArgs } from 'node:util';
import {
  expectOk,
  fmt,
  lxcConfigs,
  makeWorkspace,
  phx,
  ratio,
  removeWorkspace,
} from './lib/workspace.mjs';

const { values: opts } = parseArgs({
  options: {
    apps: { type: 'string', default: '40' },
    jobs: { type: 'string', default: '8' },
    'from901-every': { type: 'string', default: '5' },
  },
});
const apps = Number(opts.apps);
const jobs = Number(opts.jobs);
const from901Every = Number(opts['from901-every']);

// Milliseconds per simulated operation, by the kind of target it serves: the
// order of magnitude of real Proxmox work, scaled down so a run takes seconds.
// A target is several operations (a feature: push, unpack, run, snapshot, … ≈ 12),
// each sleeping its kind's time, so these are a quarter of a real step's
// per-operation cost: the sequential build still takes about a minute.
const durations = {
  create: 75,
  clone: 50,
  settings: 5,
  feature: 40,
  app: 25,
  check: 5,
  snapshot: 8,
  firewall: 3,
};
const env = { PHX_SIM_SCALE: '1', PHX_SIM_DURATIONS: JSON.stringify(durations) };
const log = (s) => process.stderr.write(`bench: ${s}\n`);

/** Build on a fresh workspace; returns phx's --json report and the build graph. */
async function freshBuild(j) {
  const dir = makeWorkspace(`phx-bench-makespan-j${j}-`, lxcConfigs({ apps, from901Every }));
  try {
    log(`phx build --all -j ${j} --json in ${dir}`);
    const r = expectOk(
      await phx(dir, ['build', '--all', '-j', String(j), '--json'], env),
      `phx build -j ${j}`,
    );
    const report = JSON.parse(r.stdout);
    const bad = report.targets.filter((t) => t.action !== 'built');
    if (bad.length > 0)
      throw new Error(`targets not built: ${bad.map((t) => `${t.id} ${t.action}`).join(', ')}`);
    const graph = JSON.parse(
      expectOk(await phx(dir, ['graph', '--all', '--format', 'json'], env), 'phx graph').stdout,
    );
    return { report, graph, processMs: r.ms };
  } finally {
    removeWorkspace(dir);
  }
}

function lowerBounds(report, graph) {
  const work = new Map(report.targets.map((t) => [t.id, t.end_ms - t.start_ms]));
  const end = new Map(report.targets.map((t) => [t.id, t.end_ms]));
  const ids = graph.nodes.map((n) => n.id);
  const missing = ids.filter((id) => !work.has(id));
  if (missing.length > 0) throw new Error(`no times for ${missing.join(', ')}`);
  const preds = new Map(ids.map((id) => [id, []]));
  const succs = new Map(ids.map((id) => [id, []]));
  for (const e of graph.edges) {
    preds.get(e.to).push(e.from);
    succs.get(e.from).push(e.to);
  }
  // Topological order (Kahn), then longest paths both ways.
  const indeg = new Map(ids.map((id) => [id, preds.get(id).length]));
  const order = ids.filter((id) => indeg.get(id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const s of succs.get(order[i])) {
      indeg.set(s, indeg.get(s) - 1);
      if (indeg.get(s) === 0) order.push(s);
    }
  }
  if (order.length !== ids.length) throw new Error('the graph has a cycle');
  const finish = new Map(); // longest chain ending with (and including) the target
  for (const id of order)
    finish.set(id, Math.max(0, ...preds.get(id).map((p) => finish.get(p))) + work.get(id));
  const tail = new Map(); // longest chain strictly after the target
  for (const id of [...order].reverse())
    tail.set(id, Math.max(0, ...succs.get(id).map((s) => tail.get(s) + work.get(s))));
  const criticalPath = Math.max(...finish.values());

  const totalWork = [...work.values()].reduce((a, b) => a + b, 0);
  const sources = [];
  for (const e of graph.edges) {
    if (e.kind !== 'clone') continue;
    let s = sources.find((x) => x.from === e.from);
    if (!s) sources.push((s = { from: e.from, clones: [] }));
    s.clones.push(e.to);
  }
  for (const s of sources) {
    s.ready = end.get(s.from);
    s.cloneWork = s.clones.reduce((a, c) => a + work.get(c), 0);
    s.bound = s.ready + s.cloneWork;
    s.minTail = Math.min(...s.clones.map((c) => tail.get(c)));
  }
  // Work that must follow a target cannot start before that target's earliest
  // possible end (its longest chain of predecessors), and takes at least its
  // total / jobs: a bound that sees the serial template chain at the start,
  // which total work / jobs alone does not.
  const desc = new Map();
  for (const id of [...order].reverse()) {
    const d = new Set();
    for (const s of succs.get(id)) {
      d.add(s);
      for (const x of desc.get(s)) d.add(x);
    }
    desc.set(id, d);
  }
  let after = { id: undefined, bound: 0 };
  for (const id of ids) {
    const w = [...desc.get(id)].reduce((a, x) => a + work.get(x), 0);
    const b = finish.get(id) + w / jobs;
    if (b > after.bound) after = { id, bound: b, earliest: finish.get(id), work: w };
  }
  return { criticalPath, totalWork, sources, work, after };
}

const parallel = await freshBuild(jobs);
const sequential = await freshBuild(1);
const lb = lowerBounds(parallel.report, parallel.graph);
const makespan = parallel.report.wall_ms;
const workBound = lb.totalWork / jobs;
const bound = Math.max(
  lb.criticalPath,
  workBound,
  lb.after.bound,
  ...lb.sources.map((s) => s.bound + s.minTail),
);

const n = parallel.graph.nodes.length;
const from901 = from901Every > 0 ? Math.floor(apps / from901Every) : 0;
console.log(
  `makespan: ${apps} apps (${apps - from901} from 921, ${from901} from 901), ${n} targets, ${parallel.graph.edges.length} edges, -j ${jobs}, sim durations ${JSON.stringify(durations)} ms`,
);
console.log(
  `makespan (wall_ms of phx build -j ${jobs})            ${fmt(makespan)}   (whole process ${fmt(parallel.processMs)})`,
);
console.log(`bound: critical path over build edges            ${fmt(lb.criticalPath)}`);
console.log(
  `bound: total work / ${jobs}                           ${fmt(workBound)}   (total work ${fmt(lb.totalWork)})`,
);
for (const s of lb.sources) {
  console.log(
    `bound: clone source ${s.from.padEnd(26)} ${fmt(s.bound)}   (ready at ${fmt(s.ready)} + ${s.clones.length} clones ${fmt(s.cloneWork)}; + shortest tail ${fmt(s.minTail)} = ${fmt(s.bound + s.minTail)})`,
  );
}
console.log(
  `bound: earliest end of ${lb.after.id} + work after it / ${jobs}   ${fmt(lb.after.bound)}   (${fmt(lb.after.earliest)} + ${fmt(lb.after.work)} / ${jobs})`,
);
console.log(`lower bound (largest of the above)               ${fmt(bound)}`);
console.log(
  `makespan / lower bound                           ${ratio(makespan / bound)}   goal ≤ 1.10×: ${makespan / bound <= 1.1 ? 'met' : 'NOT met'}`,
);
console.log(
  `sequential build (-j 1, fresh workspace)         ${fmt(sequential.report.wall_ms)}   (its total work ${fmt(sequential.report.targets.reduce((a, t) => a + t.end_ms - t.start_ms, 0))})`,
);
console.log(
  `speed-up sequential / -j ${jobs}                     ${ratio(sequential.report.wall_ms / makespan)}   (ideal here: sequential / lower bound = ${ratio(sequential.report.wall_ms / bound)})`,
);
// Where the parallel work went, by kind: an engine overhead shows up as work beyond the sim's sleeps.
const byKind = new Map();
for (const t of parallel.report.targets) {
  const k = byKind.get(t.kind) ?? { count: 0, ms: 0, ops: 0 };
  k.count += 1;
  k.ms += t.end_ms - t.start_ms;
  k.ops += t.commands.length;
  byKind.set(t.kind, k);
}
console.log(
  `work by kind in the -j ${jobs} run: targets, mean work per target, mean backend commands per target × sim sleep = sleep per target`,
);
for (const [kind, k] of byKind) {
  const ops = k.ops / k.count;
  console.log(
    `  ${kind.padEnd(9)} ${String(k.count).padStart(4)}  ${fmt(k.ms / k.count).padStart(10)}  ${ops.toFixed(1).padStart(5)} × ${durations[kind]} ms = ${fmt(ops * durations[kind])}`,
  );
}
