// A structural check of an LMDB data file, read with plain file reads before
// lmdb-js maps it. lmdb-js trusts the file: a truncated one faults with
// SIGBUS when a mapped page past its end is touched, a garbled page sends it
// through wild offsets (SIGSEGV). Neither can be caught in the process, so the
// pages LMDB would follow are checked here first: the meta pages (magic,
// version, page size), then every page reachable from the newest snapshot
// (its own page number, its type, node offsets and sizes inside the page,
// child and overflow pages inside the file, each page reached once).
// It reads the whole file once: a few milliseconds for our caches.
//
// Layout of the lmdb-js fork of LMDB (data version 2, 64-bit), from
// node_modules/lmdb/dependencies/lmdb/libraries/liblmdb/mdb.c:
//   page header (24 bytes): pgno u64, txnid u64, pad u16, flags u16,
//     lower u16 / upper u16 (or overflow page count u32)
//   meta (after the header): magic u32, version u32, address u64,
//     mapsize u64, dbs[2] (free, main) of MDB_db, last_pg u64, txnid u64
//   MDB_db (48 bytes): pad u32 (page size in dbs[0]), flags u16, depth u16,
//     branch, leaf, overflow pages u64, entries u64, root u64
//   node: lo u16, hi u16, flags u16, ksize u16, key, data
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
const PAGE_HEADER = 24;
const NODE_HEADER = 8;
const DB_SIZE = 48;
const OVPAGE_SIZE = 24;
const INVALID_PAGE = 0xffffffffffffffffn;

const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const P_META = 0x08;
const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const F_DUPDATA = 0x04;

/** What is wrong with a data file, in terms a user can act on. */
export type LmdbDamage =
  | { readonly reason: 'empty' }
  | { readonly reason: 'too-short'; readonly size: number }
  | { readonly reason: 'not-lmdb'; readonly page: number }
  | { readonly reason: 'version'; readonly found: number }
  | { readonly reason: 'page-size'; readonly found: number }
  | { readonly reason: 'truncated'; readonly size: number; readonly needed: number }
  | { readonly reason: 'bad-page'; readonly page: number; readonly what: string };

export type LmdbCheck =
  | { readonly type: 'absent' }
  | { readonly type: 'sound'; readonly pages: number }
  | { readonly type: 'damaged'; readonly damage: LmdbDamage };

class Damaged extends Error {
  constructor(readonly damage: LmdbDamage) {
    super(damage.reason);
  }
}

export function checkLmdbFile(path: string): LmdbCheck {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { type: 'absent' };
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    const file = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, file, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { type: 'sound', pages: walk(file.subarray(0, read)) };
  } catch (e) {
    if (e instanceof Damaged) return { type: 'damaged', damage: e.damage };
    throw e;
  } finally {
    closeSync(fd);
  }
}

interface Meta {
  readonly txnid: bigint;
  readonly free: DbInfo;
  readonly main: DbInfo;
}

interface DbInfo {
  readonly depth: number;
  readonly root: bigint;
}

function walk(file: Buffer): number {
  if (file.length === 0) throw new Damaged({ reason: 'empty' });
  if (file.length < PAGE_HEADER + 160)
    throw new Damaged({ reason: 'too-short', size: file.length });
  const psize = file.readUInt32LE(PAGE_HEADER + 24);
  if (file.readUInt32LE(PAGE_HEADER) !== MAGIC) throw new Damaged({ reason: 'not-lmdb', page: 0 });
  const version = file.readUInt32LE(PAGE_HEADER + 4);
  if (version !== DATA_VERSION) throw new Damaged({ reason: 'version', found: version });
  if (psize < 512 || psize > 65536 || (psize & (psize - 1)) !== 0)
    throw new Damaged({ reason: 'page-size', found: psize });
  if (file.length < 2 * psize)
    throw new Damaged({ reason: 'truncated', size: file.length, needed: 2 * psize });
  const metas = [readMeta(file, 0, psize), readMeta(file, 1, psize)];
  // LMDB opens the snapshot of the newest meta page (mdb_pick_meta).
  const meta = metas[0]!.txnid >= metas[1]!.txnid ? metas[0]! : metas[1]!;
  const pages = Math.floor(file.length / psize);
  const seen = new Set<number>([0, 1]);
  const walker = new TreeWalker(file, psize, pages, seen, meta.txnid);
  walker.tree(meta.free, 'free list');
  walker.tree(meta.main, 'main database');
  return seen.size;
}

function readMeta(file: Buffer, page: number, psize: number): Meta {
  const at = page * psize;
  const flags = file.readUInt16LE(at + 18);
  const m = at + PAGE_HEADER;
  if ((flags & P_META) === 0 || file.readUInt32LE(m) !== MAGIC)
    throw new Damaged({ reason: 'not-lmdb', page });
  const version = file.readUInt32LE(m + 4);
  if (version !== DATA_VERSION) throw new Damaged({ reason: 'version', found: version });
  if (file.readUInt32LE(m + 24) !== psize) throw new Damaged({ reason: 'page-size', found: psize });
  return {
    free: readDb(file, m + 24),
    main: readDb(file, m + 24 + DB_SIZE),
    txnid: file.readBigUInt64LE(m + 128),
  };
}

function readDb(file: Buffer, at: number): DbInfo {
  return { depth: file.readUInt16LE(at + 6), root: file.readBigUInt64LE(at + 40) };
}

class TreeWalker {
  constructor(
    private readonly file: Buffer,
    private readonly psize: number,
    private readonly pages: number,
    private readonly seen: Set<number>,
    /** The snapshot's transaction: no page of it was written by a later one. */
    private readonly txnid: bigint,
  ) {}

  tree(db: DbInfo, name: string): void {
    if (db.root === INVALID_PAGE) return;
    if (db.depth < 1 || db.depth > 32)
      throw new Damaged({ reason: 'bad-page', page: 0, what: `${name} has depth ${db.depth}` });
    this.page(db.root, db.depth, name);
  }

  private claim(pgno: bigint, count: number, what: string): number {
    const end = pgno + BigInt(count);
    if (pgno < 2n || end > BigInt(this.pages)) {
      if (pgno >= 2n && end <= 0xffffffffn)
        throw new Damaged({
          reason: 'truncated',
          size: this.file.length,
          needed: Number(end) * this.psize,
        });
      throw new Damaged({
        reason: 'bad-page',
        page: Number(pgno),
        what: `${what} points outside the file`,
      });
    }
    const n = Number(pgno);
    for (let i = n; i < n + count; i++) {
      if (this.seen.has(i))
        throw new Damaged({ reason: 'bad-page', page: i, what: `${what} reaches page ${i} twice` });
      this.seen.add(i);
    }
    const at = n * this.psize;
    if (this.file.readBigUInt64LE(at) !== pgno)
      throw new Damaged({ reason: 'bad-page', page: n, what: 'its header names another page' });
    // LMDB takes a page stamped with a later transaction for one being
    // written and follows its dirty-page list: a fault, not an error.
    if (this.file.readBigUInt64LE(at + 8) > this.txnid)
      throw new Damaged({ reason: 'bad-page', page: n, what: 'it claims a later transaction' });
    return at;
  }

  private page(pgno: bigint, depth: number, name: string): void {
    const at = this.claim(pgno, 1, name);
    const n = Number(pgno);
    const flags = this.file.readUInt16LE(at + 18);
    const lower = this.file.readUInt16LE(at + 20);
    const upper = this.file.readUInt16LE(at + 22);
    const kind = flags & (P_BRANCH | P_LEAF);
    const leaf = kind === P_LEAF;
    if (kind === 0 || kind === (P_BRANCH | P_LEAF) || leaf !== (depth === 1))
      throw new Damaged({
        reason: 'bad-page',
        page: n,
        what: `unexpected page type ${flags} in the ${name}`,
      });
    if (lower % 2 !== 0 || lower > upper || PAGE_HEADER + upper > this.psize)
      throw new Damaged({
        reason: 'bad-page',
        page: n,
        what: 'its free-space bounds are impossible',
      });
    const keys = lower >> 1;
    if (keys === 0 && !leaf)
      throw new Damaged({ reason: 'bad-page', page: n, what: 'an empty branch' });
    for (let i = 0; i < keys; i++) {
      const node = PAGE_HEADER + this.file.readUInt16LE(at + PAGE_HEADER + 2 * i);
      if (node < PAGE_HEADER + upper || node + NODE_HEADER > this.psize)
        throw new Damaged({ reason: 'bad-page', page: n, what: `node ${i} lies outside the page` });
      const p = at + node;
      const lo = this.file.readUInt16LE(p);
      const hi = this.file.readUInt16LE(p + 2);
      const nflags = this.file.readUInt16LE(p + 4);
      const ksize = this.file.readUInt16LE(p + 6);
      const data = node + NODE_HEADER + ksize;
      if (data > this.psize)
        throw new Damaged({ reason: 'bad-page', page: n, what: `key ${i} runs past the page` });
      if (!leaf) {
        const child = BigInt(lo) | (BigInt(hi) << 16n) | (BigInt(nflags) << 32n);
        this.page(child, depth - 1, name);
        continue;
      }
      const key = this.file.toString('utf8', p + NODE_HEADER, at + data);
      this.leafData(n, i, at + data, data, lo + hi * 0x10000, nflags, name, key);
    }
  }

  private leafData(
    n: number,
    i: number,
    abs: number,
    rel: number,
    dsize: number,
    flags: number,
    name: string,
    key: string,
  ): void {
    if (flags & F_BIGDATA) {
      if (rel + OVPAGE_SIZE > this.psize)
        throw new Damaged({ reason: 'bad-page', page: n, what: `value ${i} runs past the page` });
      const pgno = this.file.readBigUInt64LE(abs);
      const count = this.file.readBigUInt64LE(abs + 16);
      if (count < 1n || count > BigInt(this.pages))
        throw new Damaged({
          reason: 'bad-page',
          page: n,
          what: `value ${i} claims ${count} pages`,
        });
      const at = this.claim(pgno, Number(count), name);
      const oflags = this.file.readUInt16LE(at + 18);
      if ((oflags & P_OVERFLOW) === 0 || dsize + PAGE_HEADER > Number(count) * this.psize)
        throw new Damaged({
          reason: 'bad-page',
          page: Number(pgno),
          what: 'a broken overflow page',
        });
      return;
    }
    if (rel + dsize > this.psize)
      throw new Damaged({ reason: 'bad-page', page: n, what: `value ${i} runs past the page` });
    if ((flags & (F_SUBDATA | F_DUPDATA)) === F_SUBDATA) {
      if (dsize !== DB_SIZE)
        throw new Damaged({
          reason: 'bad-page',
          page: n,
          what: `database record ${i} has ${dsize} bytes`,
        });
      this.tree(readDb(this.file, abs), `database ${JSON.stringify(key)}`);
    }
  }
}
