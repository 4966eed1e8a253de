// A VM image given by URL: downloaded once into the cache under its pinned
// sha256 (`.phoenix-cache/images/<sha256>`), verified while it streams, and
// kept. The file appears under that name only after its bytes matched, so a
// file there is an image that was verified; it is checked again all the
// same before each use (a disk can rot), which costs a read, not a download.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebStream } from 'node:stream/web';
import type { OpContext } from '../src/backends/backend.ts';
import { OpError } from '../src/core/failure.ts';
import { streamSha256, type ResolvedImage } from '../targets/vm-image.ts';

type UrlImage = Extract<ResolvedImage, { type: 'url' }>;

export async function fetchImage(image: UrlImage, op: OpContext): Promise<string> {
  const kept = image.keptAt;
  if (await exists(kept)) {
    const sha256 = await streamSha256(kept);
    if (sha256 === image.sha256) return kept;
    op.log(`${kept} no longer has sha256 ${image.sha256} (it has ${sha256}): downloading it again`);
    await rm(kept, { force: true });
  }
  op.log(`downloading ${image.url}`);
  const tmp = `${kept}.${process.pid}.part`;
  await mkdir(dirname(kept), { recursive: true });
  const hash = createHash('sha256');
  try {
    const res = await fetch(image.url, { signal: op.signal });
    if (!res.ok || res.body === null)
      throw new OpError({
        type: 'rejected',
        reason: `image ${image.name}: ${image.url} answered ${res.status} ${res.statusText}`,
      });
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(res.body as WebStream<Uint8Array>),
      hashing,
      createWriteStream(tmp),
      { signal: op.signal },
    );
  } catch (e) {
    await rm(tmp, { force: true });
    if (op.signal.aborted) throw new OpError({ type: 'cancelled' });
    if (e instanceof OpError) throw e;
    throw new OpError({
      type: 'rejected',
      reason: `image ${image.name}: downloading ${image.url} failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const got = hash.digest('hex');
  if (got !== image.sha256) {
    await rm(tmp, { force: true });
    throw new OpError({
      type: 'rejected',
      reason:
        `image ${image.name}: ${image.url} has sha256 ${got}, but phoenix.build.ts pins ${image.sha256}; ` +
        `nothing was kept. If the new image is the one you want, pin its sha256`,
    });
  }
  await rename(tmp, kept);
  op.log(`verified sha256 ${got}; kept as ${kept}`);
  return kept;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
