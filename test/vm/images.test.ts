// Where a VM image comes from and what its content is (targets/vm-image.ts,
// rules/image-fetch.ts): a file in the configs' images/ folder, hashed once
// and kept by path, size and mtime; a build file entry, URL (pinned sha256,
// downloaded once, verified) or file; and the errors a user can fix.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveImage, type ImagePlaces } from '../../targets/vm-image.ts';
import { fetchImage } from '../../rules/image-fetch.ts';
import { buildFileVmProblem } from '../../src/engine/build-file-vm.ts';
import { OpError } from '../../src/core/failure.ts';
import type { OpContext } from '../../src/backends/backend.ts';
import type { TargetId } from '../../src/core/target-id.ts';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function places(sources: ImagePlaces['sources'] = {}): ImagePlaces & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'phx-images-'));
  mkdirSync(join(dir, 'configs', 'images'), { recursive: true });
  return {
    dir,
    root: dir,
    imagesDir: join(dir, 'configs', 'images'),
    cacheDir: join(dir, '.phoenix-cache', 'images'),
    sources,
  };
}

function op(lines: string[] = []): OpContext {
  return {
    target: 'vm/9000/image' as TargetId,
    targetKind: 'image',
    log: (l) => lines.push(l),
    commands: [],
    signal: new AbortController().signal,
  };
}

test('a file in images/ resolves by its sha256, hashed once and kept by path, size and mtime', async () => {
  const p = places();
  try {
    const file = join(p.imagesDir, 'a.img');
    const when = 1_700_000_000;
    writeFileSync(file, 'one');
    utimesSync(file, when, when);
    const first = await resolveImage('a.img', p);
    assert.equal(first, { type: 'file', name: 'a.img', path: file, sha256: sha('one') });
    // Same size and mtime, other bytes: the kept hash answers, the file is not read.
    writeFileSync(file, 'two');
    utimesSync(file, when, when);
    assert.equal(await resolveImage('a.img', p), first);
    // A changed size is read again.
    writeFileSync(file, 'three');
    assert.equal(await resolveImage('a.img', p), { ...first, sha256: sha('three') });
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('an unnamed image says where it was looked for and how to name it', async () => {
  const p = places();
  try {
    const r = await resolveImage('noble.img', p);
    assert.is(r.type, 'unresolved');
    assert.is(
      r.type === 'unresolved' && r.reason,
      `no file ${join(p.imagesDir, 'noble.img')} and no images entry in phoenix.build.ts; ` +
        `add images: { 'noble.img': { url: 'https://…', sha256: '<64 hex digits>' } } to phoenix.build.ts, ` +
        `or put the file at ${join(p.imagesDir, 'noble.img')}`,
    );
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('a build file entry wins: a URL with its pinned sha256, a file with a pin that must match', async () => {
  const pinned = sha('image bytes');
  const p = places({
    'u.img': { url: 'https://example.invalid/u.img', sha256: pinned.toUpperCase() },
    'f.img': { file: 'elsewhere/f.img', sha256: sha('other') },
  });
  try {
    writeFileSync(join(p.imagesDir, 'u.img'), 'not this one');
    assert.equal(await resolveImage('u.img', p), {
      type: 'url',
      name: 'u.img',
      url: 'https://example.invalid/u.img',
      sha256: pinned,
      keptAt: join(p.cacheDir!, pinned),
    });
    mkdirSync(join(p.dir, 'elsewhere'));
    writeFileSync(join(p.dir, 'elsewhere', 'f.img'), 'f bytes');
    const f = await resolveImage('f.img', p);
    assert.is(
      f.type === 'unresolved' && f.reason,
      `${join(p.dir, 'elsewhere', 'f.img')} has sha256 ${sha('f bytes')}, but phoenix.build.ts images['f.img'].sha256 pins ${sha('other')}`,
    );
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('the build file: a URL needs a pinned sha256; a bad agent timeout is named', () => {
  assert.is(
    buildFileVmProblem({ images: { 'a.img': { url: 'https://x/a.img' } } }),
    "images['a.img']: a url needs its sha256 pinned (the download is verified against it)",
  );
  assert.is(
    buildFileVmProblem({ images: { 'a.img': { url: 'https://x/a.img', sha256: 'abc' } } }),
    "images['a.img']: sha256 must be 64 hex digits",
  );
  assert.is(
    buildFileVmProblem({ vm: { agentTimeoutS: 0 } }),
    'vm.agentTimeoutS must be a positive number of seconds (got 0)',
  );
  assert.is(
    buildFileVmProblem({ images: { 'a.img': { file: 'a.img' } }, vm: { agentTimeoutS: 30 } }),
    undefined,
  );
});

async function serve(body: Buffer): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/noble.img`, hits: () => hits };
}

test('a URL image is downloaded once, verified, and kept under its sha256', async () => {
  const body = Buffer.alloc(3 * 1024 * 1024, 7);
  const { server, url, hits } = await serve(body);
  const p = places({ 'noble.img': { url, sha256: sha(body) } });
  try {
    const image = await resolveImage('noble.img', p);
    assert.is(image.type, 'url');
    if (image.type !== 'url') return;
    const kept = await fetchImage(image, op());
    assert.is(kept, join(p.cacheDir!, sha(body)));
    assert.is(statSync(kept).size, body.length);
    assert.is(await fetchImage(image, op()), kept);
    assert.is(hits(), 1, 'the second use reads the kept file');
  } finally {
    server.close();
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('a download whose sha256 differs from the pin fails, naming both, and keeps nothing', async () => {
  const { server, url } = await serve(Buffer.from('tampered'));
  const pin = sha('the real image');
  const p = places({ 'noble.img': { url, sha256: pin } });
  try {
    const image = await resolveImage('noble.img', p);
    if (image.type !== 'url') throw new Error('expected a URL image');
    const e = await fetchImage(image, op()).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.instance(e, OpError);
    assert.is(
      (e as OpError).message,
      `image noble.img: ${url} has sha256 ${sha('tampered')}, but phoenix.build.ts pins ${pin}; ` +
        'nothing was kept. If the new image is the one you want, pin its sha256',
    );
    assert.equal(existsSync(p.cacheDir!) ? readdirSync(p.cacheDir!) : [], []);
  } finally {
    server.close();
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test.run();
