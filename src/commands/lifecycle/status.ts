// `phx status [ID…] [--json]`: for each guest, its live state, the recorded
// fingerprint of its top built layer, and drift (live settings that differ
// from the declared ones, recorded layer snapshots gone from the host).
// Reports; never changes anything, so it exits 0 whatever it finds.
import { openCache } from '../../cache/cache.ts';
import type { TargetRecord } from '../../cache/records.ts';
import { inspectGuests } from '../../engine/planning.ts';
import type { Guest } from '../../model/model.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { guestsByIds, withBackend } from './common.ts';
import { driftText, layerDrift, settingsDrift, type Drift } from './drift.ts';

export interface StatusArgs {
  readonly ids: readonly string[];
}

export interface GuestStatus {
  readonly id: number;
  readonly kind: Guest['kind'];
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'missing';
  /** Fingerprint of the highest layer with a record, and that target. */
  readonly fingerprint: string | null;
  readonly layer: string | null;
  readonly drift: readonly Drift[];
  /** Settings the running guest was given but takes only at its next start (`build --no-restart`). */
  readonly restartPending: readonly string[];
}

export async function run(ctx: CommandContext, args: StatusArgs): Promise<number> {
  return withBackend(ctx, async (prepared, backend) => {
    const { project, graph } = prepared;
    let guests = [...project.guests.values()];
    if (args.ids.length > 0) {
      const found = guestsByIds(project, args.ids);
      if (!found.ok) {
        ctx.io.err(`phx: ${found.error}\n`);
        return ExitCode.usage;
      }
      guests = found.value;
    }
    guests.sort((a, b) => a.id - b.id);
    const live = await inspectGuests(backend, guests, ctx.signal);
    // Read-only: LMDB allows readers beside a running build, so no cache lock.
    const cache = await openCache(prepared.paths.cacheDir);
    const rows: GuestStatus[] = [];
    try {
      for (const g of guests) {
        const state = live.get(String(g.id)) ?? {
          exists: false,
          running: false,
          snapshots: [],
          settings: {},
        };
        const own = [...graph.targets.values()].filter((t) => t.entry === String(g.id));
        const records = own
          .map((t) => [t.id, cache.getTarget(t.id)] as const)
          .filter((r): r is readonly [(typeof r)[0], TargetRecord] => r[1] !== undefined);
        const top = own
          .filter((t) => t.layer !== undefined && cache.getTarget(t.id) !== undefined)
          .sort((a, b) => (b.layer ?? 0) - (a.layer ?? 0))[0];
        const drift = [
          ...(await settingsDrift(backend, g, state, ctx.signal)),
          ...layerDrift(state, records),
        ];
        // Read off the node ([pve:pending], the running config): no record of phx's can go stale.
        const restartPending =
          state.running && backend.restartPending
            ? await backend.restartPending(g, ctx.signal)
            : [];
        rows.push({
          id: g.id,
          kind: g.kind,
          name: g.name,
          state: !state.exists ? 'missing' : state.running ? 'running' : 'stopped',
          fingerprint: top === undefined ? null : (cache.getTarget(top.id)?.fingerprint ?? null),
          layer: top?.id ?? null,
          drift,
          restartPending,
        });
      }
    } finally {
      await cache.close();
    }
    if (ctx.globals.json) {
      const guestsJson = rows.map((r) => ({
        ...r,
        drift: r.drift.map((d) => ({ ...d, text: driftText(d) })),
      }));
      ctx.io.out(JSON.stringify({ version: 1, guests: guestsJson }, null, 2) + '\n');
    } else ctx.io.out(statusText(rows));
    return ExitCode.ok;
  });
}

export function statusText(rows: readonly GuestStatus[]): string {
  const table = rows.map((r) => [
    String(r.id),
    r.kind,
    r.name,
    r.restartPending.length > 0 ? `${r.state}, restart pending` : r.state,
    r.fingerprint === null ? '-' : r.fingerprint.slice(0, 12),
    r.drift.length === 0
      ? r.state === 'missing' && r.fingerprint === null
        ? '-'
        : 'none'
      : `${r.drift.length} item(s)`,
  ]);
  const head = ['ID', 'KIND', 'NAME', 'STATE', 'FINGERPRINT', 'DRIFT'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => {
    out.push(line(table[i]!));
    for (const d of r.drift) out.push(`    ${driftText(d)}`);
    if (r.restartPending.length > 0)
      out.push(`    restart pending: ${r.restartPending.join(', ')} (taken at the next start)`);
  });
  return out.join('\n') + '\n';
}
