// Just enough of a tar reader (ustar, GNU long names, pax paths, gzip) for the
// sim to model `tar -xf archive -C dir` inside a CT: a folder pushed as a
// tarball must appear file by file in the CT's filesystem model.
import { gunzipSync } from 'node:zlib';

export interface TarMember {
  readonly path: string;
  readonly type: 'file' | 'dir';
  readonly mode: number;
  readonly content: Buffer;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

const octal = (s: string): number => parseInt(s.trim() || '0', 8);

/** Members of a (possibly gzipped) tar archive; undefined if it is not one. */
export function readTar(data: Buffer): TarMember[] | undefined {
  let buf = data;
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch {
      return undefined;
    }
  }
  const members: TarMember[] = [];
  let longName: string | undefined;
  for (let off = 0; off + 512 <= buf.length;) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    if (field(header, 257, 6) !== 'ustar' && field(header, 257, 5) !== 'ustar') return undefined;
    const size = octal(field(header, 124, 12));
    const type = String.fromCharCode(header[156] ?? 0);
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name =
      longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const mode = octal(field(header, 100, 8)) & 0o7777;
    if (type === '5') members.push({ path: name, type: 'dir', mode, content: Buffer.alloc(0) });
    else if (type === '0' || type === '\0' || type === '7' || type === '1' || type === '2') {
      members.push({ path: name, type: 'file', mode, content: Buffer.from(body) });
    }
  }
  return members;
}

function header(path: string, type: 'file' | 'dir', mode: number, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (text: string, start: number, length: number) => h.write(text, start, length, 'utf8');
  const num = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  put(path, 0, 100);
  put(num(mode & 0o7777, 8), 100, 8);
  put(num(0, 8), 108, 8);
  put(num(0, 8), 116, 8);
  put(num(size, 12), 124, 12);
  put(num(0, 12), 136, 12);
  put('        ', 148, 8); // checksum is computed with this field as spaces
  put(type === 'dir' ? '5' : '0', 156, 1);
  put('ustar', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A ustar archive of the members (paths relative, `./`-prefixed as GNU tar writes them). */
export function writeTar(members: readonly TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    if (Buffer.byteLength(m.path) > 99)
      throw new Error(`tar: ${m.path}: name too long for the sim's writer`);
    const size = m.type === 'file' ? m.content.length : 0;
    parts.push(header(m.path, m.type, m.mode, size));
    if (size > 0) {
      parts.push(m.content, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
