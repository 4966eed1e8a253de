// What every cross-reference check sees: the guests in file order, lookups
// by id, the feature catalog and stacks, and one way to report against an
// entry.
import type { FeatureCatalog } from '../features.ts';
import type { Guest } from '../model.ts';
import type { GuestKind } from '../../core/ids.ts';
import type { PlacedGuest } from '../guests.ts';
import { join } from '../pointer.ts';
import type { PointerSegment } from '../pointer.ts';
import type { Reporter } from '../report.ts';
import type { SourceFile } from '../source.ts';
import { locate } from '../source.ts';

export interface StackInfo {
  readonly environments: readonly string[];
}

export interface CheckContext {
  /** Guests ordered by file, then position in it. */
  readonly placed: readonly PlacedGuest[];
  readonly byId: ReadonlyMap<number, readonly PlacedGuest[]>;
  /** Entries that failed their schema: defined, but not checked further. */
  readonly broken: ReadonlyMap<number, GuestKind>;
  readonly catalog: FeatureCatalog;
  readonly stacks: ReadonlyMap<string, StackInfo>;
  readonly featuresDisplay: string;
  /** Absolute features folder: containment checks walk it. */
  readonly featuresDir: string;
  readonly reporter: Reporter;
}

export function label(kind: GuestKind, id: number): string {
  return `${kind === 'lxc' ? 'CT' : 'VM'} ${id}`;
}

export function guestLabel(g: Guest): string {
  return label(g.kind, g.id);
}

/** Where an entry is written, `file:line:col`, for a message that names a second entry. */
export function placeOf(p: PlacedGuest): string {
  const at = locate(p.file, p.guest.source.pointer);
  return `${p.file.display}:${at.line}:${at.column}`;
}

/** Reports an error at `segments` below the entry's own pointer. */
export function reportAt(
  ctx: CheckContext,
  p: PlacedGuest,
  segments: readonly PointerSegment[],
  code: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
): void {
  ctx.reporter.at(p.file, {
    severity,
    code,
    pointer: join(p.guest.source.pointer, ...segments),
    message,
  });
}

export function reportInFile(
  ctx: CheckContext,
  file: SourceFile,
  pointer: string,
  code: string,
  message: string,
): void {
  ctx.reporter.at(file, { severity: 'error', code, pointer, message });
}

/** The guest a reference of `kind` resolves to (the first of that kind with the id). */
export function find(ctx: CheckContext, id: number, kind?: GuestKind): PlacedGuest | undefined {
  return ctx.byId.get(id)?.find((p) => kind === undefined || p.guest.kind === kind);
}

/** Whether an entry with this id exists at all, broken ones included. */
export function defined(ctx: CheckContext, id: number, kind?: GuestKind): boolean {
  if (find(ctx, id, kind) !== undefined) return true;
  const b = ctx.broken.get(id);
  return b !== undefined && (kind === undefined || b === kind);
}
