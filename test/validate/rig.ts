// A temp workspace written from object literals: configs/ with any of the
// four files, features/ with feature folders and apps, then loadProject on
// it. Paths in diagnostics come out relative to the workspace.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/model/load.ts';
import type { LoadResult } from '../../src/model/load.ts';
import { renderHeader } from '../../src/model/render.ts';

export interface FeatureSpec {
  /** feature.json: an object, raw text, or absent. */
  readonly manifest?: Record<string, unknown> | string;
  /** install.sh executable (default true); `null` for no install.sh. */
  readonly executable?: boolean | null;
}

export interface WorkspaceSpec {
  /** Config file name (without dir) → object, or raw text. */
  readonly configs?: Record<string, unknown>;
  readonly features?: Record<string, FeatureSpec>;
  readonly apps?: readonly string[];
}

export const LXC = 'phoenix_lxc_configs.json';
export const VM = 'phoenix_vm_configs.json';
export const HOST = 'phoenix_hypervisor_config.json';
export const STACKS = 'phoenix_stacks_config.json';

const roots: string[] = [];

export function workspace(spec: WorkspaceSpec): string {
  const root = mkdtempSync(join(tmpdir(), 'phx-validate-'));
  roots.push(root);
  mkdirSync(join(root, 'configs'));
  for (const [name, content] of Object.entries(spec.configs ?? {})) {
    writeFileSync(
      join(root, 'configs', name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n',
    );
  }
  mkdirSync(join(root, 'features', 'apps'), { recursive: true });
  for (const [name, f] of Object.entries(spec.features ?? {})) {
    const dir = join(root, 'features', name);
    mkdirSync(dir);
    if (f.executable !== null) {
      writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\n');
      chmodSync(join(dir, 'install.sh'), f.executable === false ? 0o644 : 0o755);
    }
    if (f.manifest !== undefined) {
      writeFileSync(
        join(dir, 'feature.json'),
        typeof f.manifest === 'string' ? f.manifest : JSON.stringify(f.manifest, null, 2) + '\n',
      );
    }
  }
  for (const app of spec.apps ?? [])
    writeFileSync(join(root, 'features', 'apps', app), '#!/bin/sh\n');
  return root;
}

export async function load(spec: WorkspaceSpec, strict = false): Promise<LoadResult> {
  const cwd = workspace(spec);
  return loadProject({ configDir: 'configs', featuresDir: 'features', cwd, strict });
}

/** The header line of every diagnostic, in order. */
export async function headers(spec: WorkspaceSpec, strict = false): Promise<string[]> {
  return (await load(spec, strict)).diagnostics.map(renderHeader);
}

/** A minimal valid CT entry. */
export function ct(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, memory_mb: 1024, cores: 1, ...extra };
}

/** A minimal valid VM entry. */
export function vm(
  vmid: number,
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { vmid, name, ...extra };
}

export function lxcFile(
  entries: Record<string, unknown>,
  root: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...root, lxc_configs: entries };
}

process.on('exit', () => {
  cleanup();
});

export function cleanup(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}
