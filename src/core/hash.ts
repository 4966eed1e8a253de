// xxhash64 through xxhash-wasm: strings one-shot, files streamed in chunks
// (one large buffer makes the WASM memory grow and the first call slow).
import { open } from 'node:fs/promises';
import xxhash from 'xxhash-wasm';

export type Fingerprint = string & { readonly __brand: 'Fingerprint' };
export type FileDigest = string & { readonly __brand: 'FileDigest' };

type Api = Awaited<ReturnType<typeof xxhash>>;
let api: Api | undefined;

/** Load the WASM module once; every hashing function below needs it. */
export async function initHash(): Promise<void> {
  api ??= await xxhash();
}

function loaded(): Api {
  if (!api) throw new Error('initHash() was not awaited');
  return api;
}

/** 16 hex digits of xxhash64 of a string. */
export function hashString(text: string): string {
  return loaded().h64ToString(text);
}

const chunkSize = 1 << 20;

/** Streamed xxhash64 of a file's bytes. */
export async function hashFile(path: string): Promise<FileDigest> {
  const hasher = loaded().create64();
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hasher.digest().toString(16).padStart(16, '0') as FileDigest;
}
