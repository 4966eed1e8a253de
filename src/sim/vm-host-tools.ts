// The few host tools the proxmox backend runs on the node to stage a VM disk
// image (`sha256sum`, `mkdir -p`, `cp`, `mv`): on the sim node, node files
// live under `<dir>/host/`, and a source outside the node's files is a
// staged folder (staging is the identity in the sim, as for `pct push`).
// Only the image store is writable: the sim models no other host tree.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { done, rejected, type Outcome } from './node.ts';
import { nodeFile } from './qm-drives.ts';
import type { VmNode } from './vm-node.ts';

/** Where staged images live on a node (a `local` storage's template folder). */
export const IMAGE_STORE = '/var/lib/vz/template/phx-images';

const inStore = (p: string) => p.startsWith(`${IMAGE_STORE}/`) && !p.split('/').includes('..');

function operands(words: readonly string[]): string[] {
  return words.filter((w) => w !== '--' && !w.startsWith('-'));
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Handles `sha256sum`, `mkdir`, `cp`, `mv` on image-store paths; undefined for anything else. */
export async function hostTool(
  vmNode: VmNode,
  tool: string,
  words: readonly string[],
): Promise<Outcome | undefined> {
  const ops = operands(words);
  switch (tool) {
    case 'sha256sum': {
      let out = '';
      for (const p of ops) {
        const f = nodeFile(vmNode, p);
        if (!existsSync(f) || !statSync(f).isFile())
          return {
            exitCode: 1,
            stdout: out,
            stderr: `sha256sum: ${p}: No such file or directory\n`,
          };
        out += `${await sha256(f)}  ${p}\n`;
      }
      return done(out);
    }
    case 'mkdir': {
      if (!words.includes('-p') || ops.some((p) => p !== IMAGE_STORE && !inStore(`${p}/`)))
        return undefined;
      for (const p of ops) await mkdir(nodeFile(vmNode, p), { recursive: true });
      return done();
    }
    case 'cp':
    case 'mv': {
      if (ops.length !== 2 || !inStore(ops[1]!)) return undefined;
      const [from, to] = ops as [string, string];
      const source = existsSync(nodeFile(vmNode, from)) ? nodeFile(vmNode, from) : from;
      if (!existsSync(source))
        return rejected(`${tool}: cannot stat '${from}': No such file or directory`);
      const target = nodeFile(vmNode, to);
      if (!existsSync(dirname(target)))
        return rejected(`${tool}: cannot create regular file '${to}': No such file or directory`);
      if (tool === 'cp') await copyFile(source, target);
      else if (source === from) return rejected(`mv: the sim moves only node files`);
      else await rename(source, target);
      return done();
    }
    default:
      return undefined;
  }
}
