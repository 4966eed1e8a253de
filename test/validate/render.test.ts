// Positions and rendering: a pointer maps to the value (or the key), the
// message format is `file:line:col: severity: pointer: message`, then the
// source line and a caret under the column.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSource, locate } from '../../src/model/source.ts';
import { renderDiagnostic } from '../../src/model/render.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { cleanup, ct, load, LXC, lxcFile } from './rig.ts';

const text =
  '{\n  "lxc_configs": {\n    "950": {\n      "name": "a",\n\t\t"clone_from_ctid": "999"\n    }\n  }\n}\n';

test('a pointer maps to the value, or to the key', () => {
  const f = parseSource('/x.json', 'x.json', text);
  assert.equal(locate(f, '/lxc_configs/950/name'), { line: 4, column: 15 });
  assert.equal(locate(f, '/lxc_configs/950/name', true), { line: 4, column: 7 });
  assert.equal(locate(f, '/lxc_configs/950/clone_from_ctid'), { line: 5, column: 22 });
  // A missing key stops at the deepest node that exists.
  assert.equal(locate(f, '/lxc_configs/950/memory_mb'), { line: 3, column: 12 });
  assert.equal(locate(f, ''), { line: 1, column: 1 });
});

test('rendered: header, source line, caret (tabs kept for alignment)', () => {
  const d: Diagnostic = {
    severity: 'error',
    file: 'configs/phoenix_lxc_configs.json',
    line: 5,
    column: 22,
    pointer: '/lxc_configs/950/clone_from_ctid',
    message: 'CT 999 is not defined',
    code: 'clone-source',
  };
  assert.is(
    renderDiagnostic(d, text),
    'configs/phoenix_lxc_configs.json:5:22: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined\n' +
      ' 5 | \t\t"clone_from_ctid": "999"\n' +
      '   | \t\t                   ^',
  );
  assert.is(
    renderDiagnostic(d),
    'configs/phoenix_lxc_configs.json:5:22: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined',
  );
  assert.is(
    renderDiagnostic(
      { ...d, severity: 'warning', pointer: '', line: 1, column: 1, message: 'm' },
      '{}',
    ),
    'configs/phoenix_lxc_configs.json:1:1: warning: m\n 1 | {}\n   | ^',
  );
});

test('end to end: a real clone error renders with file:line:col, pointer and caret', async () => {
  const r = await load({
    configs: { [LXC]: lxcFile({ '950': ct('a', { clone_from_ctid: '999' }) }) },
  });
  const d = r.diagnostics[0]!;
  assert.equal(renderDiagnostic(d, r.sources.get(d.file)).split('\n'), [
    'configs/phoenix_lxc_configs.json:7:26: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined',
    ' 7 |       "clone_from_ctid": "999"',
    '   |                          ^',
  ]);
  assert.is(d.code, 'clone-source');
  assert.is(r.project, undefined);
});

test('normalisation: string numbers, GPU lists, stacks, feature items, fallbacks', async () => {
  const r = await load({
    configs: {
      [LXC]: lxcFile(
        {
          '950': ct('a', {
            clone_from_ctid: '900',
            memory_mb: '4096',
            gpu_assignment: '0, 1',
            features: ['f', { name: 'f', params: { x: 1 } }],
          }),
          '900': ct('b', { gpu_assignment: 'none' }),
        },
        { nvidia_runfile_url: 'https://x/y.run' },
      ),
      'phoenix_vm_configs.json': {
        vm_defaults: { cores: 3 },
        vms: [
          { vmid: '1001', name: 'v', docker_stacks: ['s', { name: 's', environment: 'testing' }] },
        ],
      },
      'phoenix_stacks_config.json': {
        docker_stacks: { s: { environments: { production: {}, testing: {} } } },
      },
    },
    features: { f: { manifest: { params: { type: 'object' } } } },
  });
  assert.equal(r.diagnostics, []);
  const g = r.project!.guests;
  const ct950 = g.get(950 as never)!;
  assert.is(ct950.cloneFrom, 900);
  assert.is(ct950.memoryMb, 4096);
  assert.equal(ct950.gpus, [0, 1]);
  assert.equal(g.get(900 as never)!.gpus, []);
  assert.equal(
    ct950.features.map((f) => [f.name, f.params]),
    [
      ['f', {}],
      ['f', { x: 1 }],
    ],
  );
  assert.is(ct950.config['nvidia_runfile_url'], 'https://x/y.run');
  const vm = g.get(1001 as never)!;
  assert.is(vm.kind, 'vm');
  assert.is(vm.cores, 3);
  assert.equal(vm.dockerStacks, [
    { name: 's', environment: 'production' },
    { name: 's', environment: 'testing' },
  ]);
});

test('missing files mean no entries; a missing config dir is an error', async () => {
  const empty = await load({});
  assert.equal(empty.diagnostics, []);
  assert.is(empty.project!.guests.size, 0);
  const { loadProject } = await import('../../src/model/load.ts');
  const r = await loadProject({ configDir: 'nope', featuresDir: 'features', cwd: '/tmp' });
  assert.equal(
    r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
    ['nope:1:1: config directory nope does not exist'],
  );
});

test.after(cleanup);
test.run();
