#!/usr/bin/env node
// Draws docs/graph.png and docs/graph-click.png, the pictures of
// `phx graph --format html` in the README: the example configs built on the
// sim node, then features/vllm and features/ollama edited and the rebuild of
// 921's vllm made to fail, so the picture shows all three statuses. Uses Debian's chromium through
// playwright-core (no browser download). Run after `npx tsc -p .`:
//   node scripts/screenshot-graph.mjs [OUT_DIR]
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(repo, 'docs'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const tmp = mkdtempSync(join(tmpdir(), 'phx-graph-shot-'));
// The workspace folder's name is the page's title.
const dir = join(tmp, 'example');
try {
  cpSync(join(repo, 'configs'), join(dir, 'configs'), { recursive: true });
  cpSync(join(repo, 'features'), join(dir, 'features'), { recursive: true });
  rmSync(join(dir, 'configs', 'schemas'), { recursive: true, force: true });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PHX_SIM_SCALE: '0', NO_COLOR: '1' };
  const phx = (args, extra = {}) => {
    try {
      return execFileSync(process.execPath, [join(repo, 'bin', 'phx.js'), ...args], {
        cwd: dir,
        env: { ...env, ...extra },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      });
    } catch (e) {
      if (extra.PHX_SIM_FAULTS) return e.stdout; // the failure is the point
      throw e;
    }
  };
  phx(['build', '--all', '--yes']);
  for (const feature of ['vllm', 'ollama'])
    appendFileSync(join(dir, 'features', feature, 'install.sh'), '\n# a change\n');
  const fault = [{ target: 'lxc/921/feature/vllm', match: ['pct', 'exec', '921'], action: 'fail' }];
  phx(['build', '921', '--yes'], { PHX_SIM_FAULTS: JSON.stringify(fault) });
  const html = join(dir, 'graph.html');
  writeFileSync(html, phx(['graph', '--format', 'html']));

  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: join(out, 'graph.png') });
    await page.locator('g.node[data-id="lxc/921/feature/vllm"]').click();
    await page.fill('#search', '921');
    await page.screenshot({ path: join(out, 'graph-click.png') });
  } finally {
    await browser.close();
  }
  process.stdout.write(`wrote ${join(out, 'graph.png')} and ${join(out, 'graph-click.png')}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
