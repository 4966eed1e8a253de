// The HTML graph in a real browser: Debian's chromium driven by
// playwright-core through its executablePath (no browser download). After a
// sim build of the example configs and an edit of features/ollama, the page
// shows every target as a node, titles the guests, counts the statuses in its
// legend, pans and zooms, finds by search, and a click on an edited target
// shows why it would rebuild; nothing is fetched and nothing logs an error.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, type Browser, type Page } from 'playwright-core';
import { missing } from '../helpers/require.ts';
import { Rig } from '../helpers/rig.ts';
import { parseGraph, type GraphJson } from './graph-json.ts';

const skip = missing({ tools: ['chromium', 'dot'] });
const rig = Rig.create();
let browser: Browser | undefined;
let page: Page;
let graph: GraphJson;
const problems: string[] = [];
const requests: string[] = [];

test.before(async () => {
  if (skip !== undefined) return;
  const built = await rig.phx(['build', '--all', '--yes']);
  assert.is(built.code, 0, built.stderr);
  rig.append('features/ollama/install.sh', '\n# a change\n');
  const html = await rig.phx(['graph', '--format', 'html']);
  assert.is(html.code, 0, html.stderr);
  writeFileSync(rig.path('graph.html'), html.stdout);
  graph = parseGraph((await rig.phx(['graph', '--format', 'json'])).stdout);
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], {
    encoding: 'utf8',
  }).trim();
  browser = await chromium.launch({ executablePath });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(rig.path('graph.html')).href);
});

test.after(async () => {
  await browser?.close();
  rig.cleanup();
});

const viewBox = () => page.locator('#canvas svg').getAttribute('viewBox');

test('every target is a node, every guest a titled cluster, the legend counts statuses', async () => {
  if (skip !== undefined) return;
  const ids = await page
    .locator('g.node')
    .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')));
  assert.equal([...ids].sort(), graph.nodes.map((n) => n.id).sort());
  const titles = await page.locator('g.cluster > text').allTextContents();
  assert.equal(titles.sort(), graph.clusters.map((c) => `${c.entry} ${c.name}`).sort());
  const building = graph.nodes.filter((n) => n.status === 'build').length;
  assert.ok(building > 0 && building < graph.nodes.length, 'the edit rebuilds some, not all');
  assert.is(await page.locator('#legend .status-build').textContent(), `build ${building}`);
  assert.is(
    await page.locator('#legend .status-skip').textContent(),
    `skip ${graph.nodes.length - building}`,
  );
  assert.equal(await page.locator('#legend .line').allTextContents(), [
    'layer',
    'clone',
    'artifact',
    'apply',
    'start',
  ]);
});

test('a click on a target shows its reasons and fingerprint inputs', async () => {
  if (skip !== undefined) return;
  const id = 'lxc/955/feature/ollama';
  const node = graph.nodes.find((n) => n.id === id)!;
  assert.is(node.status, 'build');
  await page.locator(`g.node[data-id="${id}"]`).click();
  await page.locator('#details h2').waitFor();
  assert.is(await page.locator('#details h2').textContent(), id);
  const reasons = await page.locator('#details .reasons li').allTextContents();
  assert.equal(reasons, node.reasons);
  assert.ok(
    reasons.some((r) => r.includes('features/ollama/install.sh')),
    reasons.join('; '),
  );
  const details = (await page.locator('#details').textContent()) ?? '';
  assert.ok(details.includes(node.hash), 'the fingerprint');
  assert.ok(details.includes('features/ollama/install.sh'), 'its input files');
  assert.ok(details.includes('Upstream (1)'));
  // An upstream link moves the panel to that target: the clone, up to date.
  const upstream = Object.keys(node.inputs.upstream);
  assert.equal(upstream, ['lxc/955/clone']);
  await page.locator('#details th.link').first().click();
  assert.is(await page.locator('#details h2').textContent(), 'lxc/955/clone');
  assert.is(await page.locator('#details h3').first().textContent(), 'Up to date');
  assert.is(await page.locator('g.node.selected').getAttribute('data-id'), 'lxc/955/clone');
});

test('search highlights the matching targets', async () => {
  if (skip !== undefined) return;
  await page.fill('#search', '955');
  const matched = await page
    .locator('g.node.match')
    .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')));
  assert.equal(
    matched.sort(),
    graph.nodes
      .filter((n) => n.entry === '955')
      .map((n) => n.id)
      .sort(),
  );
  assert.is(
    await page.locator('#count').textContent(),
    `${matched.length} of ${graph.nodes.length}`,
  );
  await page.fill('#search', '');
  assert.is(await page.locator('g.node.match').count(), 0);
});

test('the wheel zooms and a drag pans, by the viewBox', async () => {
  if (skip !== undefined) return;
  const parse = (v: string | null) => (v ?? '').split(/[ ,]+/).map(Number);
  const before = parse(await viewBox());
  await page.mouse.move(500, 500);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(
    (w) => document.querySelector<SVGSVGElement>('#canvas svg')!.viewBox.baseVal.width < w,
    before[2]!,
  );
  const zoomed = parse(await viewBox());
  assert.ok(zoomed[2]! < before[2]! && zoomed[3]! < before[3]!, 'zoomed in');
  await page.mouse.move(500, 500);
  await page.mouse.down();
  await page.mouse.move(600, 540, { steps: 5 });
  await page.mouse.up();
  const panned = parse(await viewBox());
  assert.ok(panned[0]! < zoomed[0]! && panned[1]! < zoomed[1]!, 'dragged right and down');
  assert.is(panned[2], zoomed[2]);
  await page.click('#fit');
  assert.equal(parse(await viewBox()), before);
});

test('nothing was fetched and nothing logged an error', () => {
  if (skip !== undefined) return;
  assert.equal(requests, [pathToFileURL(rig.path('graph.html')).href]);
  assert.equal(problems, []);
});

test.run();
