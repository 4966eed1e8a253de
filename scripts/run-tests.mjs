#!/usr/bin/env node
// Runs every test/**/*.test.ts in its own Node process (uvu + tsx) and ends with one line
// "N passed, N failed". A file that throws on import, or exits non-zero without reporting,
// counts as one failed test: uvu's own Total/Passed lines are not trusted as a count alone.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures') out.push(...findTests(p));
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = findTests('test').filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const jobs = Number(process.env.PHX_TEST_JOBS ?? 2);
const fileTimeoutS = Number(process.env.PHX_TEST_FILE_TIMEOUT_S ?? 900);

function runFile(file) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // A file that hangs (a held build never released) fails on its own
    // instead of holding the whole run until CI's limit.
    const timer = setTimeout(() => {
      output += `\n${file}: no end after ${fileTimeoutS} s (PHX_TEST_FILE_TIMEOUT_S); killed\n`;
      child.kill('SIGKILL');
    }, fileTimeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const total = [...output.matchAll(/Total:\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
      const passed = [...output.matchAll(/Passed:\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
      let failed = total - passed;
      if (code !== 0 && failed === 0) failed = 1; // crashed on import or outside a test
      resolve({ file, code, output, passed, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

let passed = 0;
let failed = 0;
const times = [];
const queue = [...files];
async function worker() {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const r = await runFile(file);
    passed += r.passed;
    failed += r.failed;
    const mark = r.failed > 0 ? 'FAIL' : 'ok  ';
    times.push([r.seconds, file]);
    process.stdout.write(
      `${mark} ${file} (${r.passed} passed, ${r.failed} failed, ${r.seconds.toFixed(1)} s)\n`,
    );
    if (r.failed > 0 || process.env.PHX_TEST_VERBOSE) process.stdout.write(r.output + '\n');
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
// Where the suite's time goes, so a slow file is seen before the suite outgrows its budget.
const slowest = times.sort((a, b) => b[0] - a[0]).slice(0, 8);
if (files.length > 8)
  process.stdout.write(
    `slowest: ${slowest.map(([t, f]) => `${f.replace(/^test\//, '')} ${t.toFixed(0)} s`).join(', ')}\n`,
  );
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
