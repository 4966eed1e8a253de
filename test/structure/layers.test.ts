// One direction of imports (README "Layout"): a module may import its own
// folder and the layers below it, never a layer above or beside it, and no
// modules import each other in a loop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cycles, importGraph } from './import-graph.ts';

/** Bottom first. Folders on one floor may not import each other. */
const floors: readonly (readonly string[])[] = [
  ['src/core'],
  ['src/model'],
  ['src/backends', 'src/cache'],
  ['src/sim'],
  ['targets'],
  ['rules'],
  ['src/engine'],
  ['src/commands'],
  ['src/cli.ts'],
];

function layerOf(module: string): { floor: number; folder: string } | undefined {
  for (const [floor, folders] of floors.entries()) {
    for (const folder of folders) {
      if (module === folder || module.startsWith(folder + '/')) return { floor, folder };
    }
  }
  return undefined;
}

const graph = importGraph(['src', 'rules', 'targets']);

test('every module of the layered folders has a layer', () => {
  const homeless = [...graph.keys()].filter((m) => layerOf(m) === undefined);
  assert.equal(homeless, []);
});

test('no module imports a layer above it or a folder beside it', () => {
  const wrong: string[] = [];
  for (const [from, imports] of graph) {
    const a = layerOf(from)!;
    for (const to of imports) {
      const b = layerOf(to);
      if (b === undefined) continue; // the build file's types, node_modules
      if (b.floor > a.floor || (b.floor === a.floor && b.folder !== a.folder))
        wrong.push(`${from} -> ${to}`);
    }
  }
  assert.equal(wrong, []);
});

test('no modules import each other in a loop', () => {
  assert.equal(cycles(graph), []);
});

test('the checker sees an upward import and a loop when there is one', () => {
  const sample = new Map([
    ['src/core/a.ts', ['src/engine/b.ts']],
    ['src/engine/b.ts', ['src/core/a.ts']],
  ]);
  assert.equal(cycles(sample), [['src/core/a.ts', 'src/engine/b.ts']]);
  assert.ok(layerOf('src/core/a.ts')!.floor < layerOf('src/engine/b.ts')!.floor);
});

test.run();
