// Summarise a V8 .cpuprofile (from `node --cpu-prof`) into self time per
// function and per module, so a benchmark can say where a process spends its
// time without anyone opening DevTools.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative, sep } from 'node:path';

/** Self time in ms per profile node id: each sample's time delta goes to the node it hit. */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  // timeDeltas[i] is the time before sample i; charging it to sample i is what DevTools does.
  for (let i = 0; i < samples.length; i++) {
    self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  }
  return self;
}

/** Where a script belongs: a package under node_modules, a repo file, or node's own code. */
function moduleOf(url, repoRoot) {
  if (url === '') return '(native / VM)';
  if (url.startsWith('node:')) return 'node:internal';
  let path = url;
  if (url.startsWith('file://')) path = fileURLToPath(url);
  const nm = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) {
    const rest = path.slice(nm + 14).split(sep);
    return `npm:${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith(repoRoot)) return relative(repoRoot, path);
  return path;
}

export function summarise(file, repoRoot) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = selfTimes(profile);
  const byFunction = new Map();
  const byModule = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const cf = node.callFrame;
    const mod = moduleOf(cf.url, repoRoot);
    const fn = `${cf.functionName || '(anonymous)'} ${mod}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
  }
  // Native work (file I/O, JSON.parse, …) charged to the nearest caller in the
  // repo's own code, so a hot spot reads as a phx function, not as "(native)".
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inRepo = (n) =>
    n.callFrame.url.startsWith('file://') &&
    !moduleOf(n.callFrame.url, repoRoot).startsWith('npm:') &&
    !moduleOf(n.callFrame.url, repoRoot).startsWith('/');
  const byOwnCaller = new Map();
  for (const n of profile.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (ms === 0) continue;
    let a = n;
    while (a && !inRepo(a)) a = byId.get(parent.get(a.id));
    const cf = a?.callFrame;
    const key = cf
      ? `${cf.functionName || '(anonymous)'} ${moduleOf(cf.url, repoRoot)}:${cf.lineNumber + 1}`
      : `(outside phx's code) ${n.callFrame.functionName || moduleOf(n.callFrame.url, repoRoot)}`;
    byOwnCaller.set(key, (byOwnCaller.get(key) ?? 0) + ms);
  }
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    total,
    functions: top(byFunction, 12),
    modules: top(byModule, 10),
    ownCallers: top(byOwnCaller, 12),
  };
}
