// `phx import DIR` (issue 12.6) on a bash Phoenix tree shaped like the real
// one (phoenix-real.md §4: etc/ configs, bin/lxc_setup/, bin/vm_features/,
// application scripts in bin/, managers beside them), built here with the
// real configs. Runs the real bin/phx.js on dist/: `npx tsc -p .` first.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jqPathToPointer, scanScript } from '../../src/commands/import/script-scan.ts';
import { repoRoot } from '../helpers/rig.ts';

const realConfigs = join(repoRoot, 'test', 'fixtures', 'phoenix-real');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function phx(cwd: string, args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A script that leaves a mark if anything ever runs it. */
function trap(mark: string, body: string): string {
  return `#!/bin/bash\ntouch '${mark}'\n${body}\n`;
}

/**
 * `<tmp>/repo/usr/local/phoenix_hypervisor`, as in the real checkout: every
 * feature the real configs name, as an LXC installer (and a VM one for the
 * four the VMs use), the application scripts of real HEAD (955 and 957 are
 * deleted there while 914 and 917 still name them), and nvidia written the
 * bash-Phoenix way: host-side `pct`, common utils, jq config reads.
 */
function realShapedTree(): { repo: string; root: string; mark: string } {
  const base = mkdtempSync(join(tmpdir(), 'phx-import-'));
  const repo = join(base, 'repo');
  const root = join(repo, 'usr', 'local', 'phoenix_hypervisor');
  const mark = join(base, 'EXECUTED');
  const files: Record<string, string> = {
    'bin/phoenix_hypervisor_common_utils.sh': trap(mark, 'jq_get_value() { :; }'),
    'bin/phoenix-cli': trap(mark, 'echo cli'),
    'bin/managers/lxc-manager.sh': trap(mark, 'echo manager'),
    'bin/hypervisor_setup/hypervisor_feature_setup_zfs.sh': trap(mark, 'echo zfs'),
    'bin/lxc_setup/embedding_server.py': 'print("not a feature")\n',
    'bin/lxc_setup/phoenix_hypervisor_feature_install_nvidia.sh': trap(
      mark,
      [
        '# Description: Installs the NVIDIA driver and CUDA toolkit',
        '#              inside an LXC container.',
        'SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE}")" &> /dev/null && pwd)',
        'PHOENIX_BASE_DIR=$(cd "${SCRIPT_DIR}/../.." &> /dev/null && pwd)',
        'source "${PHOENIX_BASE_DIR}/bin/phoenix_hypervisor_common_utils.sh"',
        'CTID="$1"',
        'runfile=$(jq_get_value "$CTID" ".nvidia_runfile_url")',
        'repo=$(jq_get_value "$CTID" ".nvidia_repo_url // empty")',
        'gpus=$(jq_get_value "$CTID" ".gpu_assignment | split(\\",\\")")',
        'arch=$(get_global_config_value ".nvidia_driver.cuda_version")',
        '# pct exec "$CTID" -- a commented-out line is no finding',
        'pct push "$CTID" /tmp/NVIDIA.run /tmp/NVIDIA.run',
        'pct exec "$CTID" -- bash /tmp/NVIDIA.run --silent',
        'pct exec "$CTID" -- nvidia-smi',
        'pct push "$CTID" "${PHOENIX_BASE_DIR}/bin/nvidia-persistenced.service" /etc/x',
      ].join('\n'),
    ),
  };
  const clean = (name: string) =>
    trap(mark, `cd "$(dirname "\${BASH_SOURCE[0]}")"\n. ./lib/phx.sh\nphx_log "${name}"`);
  for (const name of [
    'base_setup',
    'vllm',
    'ollama',
    'docker',
    'trusted_ca',
    'step_cli',
    'step_ca',
    'traefik',
  ])
    files[`bin/lxc_setup/phoenix_hypervisor_feature_install_${name}.sh`] = clean(name);
  for (const name of ['base_setup', 'docker', 'step_cli', 'trusted_ca'])
    files[`bin/vm_features/feature_install_${name}.sh`] = clean(`${name} (vm)`);
  for (const script of ['vllm', '101', '102', '103'])
    files[`bin/phoenix_hypervisor_lxc_${script}.sh`] = clean(`app ${script}`);
  files['bin/phoenix_hypervisor_lxc_vllm.sh'] = trap(
    mark,
    [
      '# Description: Application runner for vLLM containers.',
      'source "$(dirname -- "${BASH_SOURCE[0]}")/phoenix_hypervisor_common_utils.sh"',
      'export VLLM_CONFIG_JSON=$(jq_get_value "$CTID" ".vllm_engine_config")',
      'pct_exec "$CTID" -- systemctl daemon-reload',
    ].join('\n'),
  );
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
    chmodSync(join(root, rel), 0o755);
  }
  mkdirSync(join(root, 'etc', 'nginx'), { recursive: true });
  cpSync(realConfigs, join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'phoenix_lxc_configs.schema.json'), '{}\n');
  return { repo, root, mark };
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'phx-import-ws-'));
}

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

interface Report {
  source: string;
  written: string[];
  kept: string[];
  features: { name: string; targets: string[]; reads: string[] }[];
  apps: { script: string; reads: string[] }[];
  review: { reason: string; message: string; file?: string; script?: string; name?: string }[];
  not_imported: { path: string; why: string }[];
}

test('imports the real-shaped tree into the workspace layout, executing nothing', () => {
  const { repo, mark } = realShapedTree();
  const ws = emptyDir();
  const r = phx(ws, ['import', repo]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(mark), 'a script of the tree was executed');
  const files = listTree(ws).sort();
  const features = [
    'base_setup',
    'docker',
    'nvidia',
    'ollama',
    'step_ca',
    'step_cli',
    'trusted_ca',
    'traefik',
    'vllm',
  ];
  const expected = [
    'configs/phoenix_hypervisor_config.json',
    'configs/phoenix_lxc_configs.json',
    'configs/phoenix_stacks_config.json',
    'configs/phoenix_vm_configs.json',
    'features/apps/phoenix_hypervisor_lxc_101.sh',
    'features/apps/phoenix_hypervisor_lxc_102.sh',
    'features/apps/phoenix_hypervisor_lxc_103.sh',
    'features/apps/phoenix_hypervisor_lxc_vllm.sh',
    'features/apps/phoenix_hypervisor_lxc_vllm.sh.json',
    'features/lib/phx.sh',
    ...features.flatMap((f) => [`features/${f}/feature.json`, `features/${f}/install.sh`]),
    ...['base_setup', 'docker', 'step_cli', 'trusted_ca'].map((f) => `features/${f}/install.vm.sh`),
    'phoenix.build.ts',
  ].sort();
  assert.equal(files, expected);
  for (const c of ['phoenix_lxc_configs.json', 'phoenix_vm_configs.json'])
    assert.equal(readFileSync(join(ws, 'configs', c)), readFileSync(join(realConfigs, c)));
  for (const f of features) assert.ok(statSync(join(ws, 'features', f, 'install.sh')).mode & 0o100);
  assert.ok(statSync(join(ws, 'features/apps/phoenix_hypervisor_lxc_101.sh')).mode & 0o100);
  assert.equal(JSON.parse(readFileSync(join(ws, 'features/nvidia/feature.json'), 'utf8')), {
    description: 'Installs the NVIDIA driver and CUDA toolkit inside an LXC container.',
    reads: ['/nvidia_runfile_url', '/nvidia_repo_url'],
    requires: [],
    consumes: [],
    gpu: false,
    targets: ['lxc'],
  });
  assert.equal(JSON.parse(readFileSync(join(ws, 'features/docker/feature.json'), 'utf8')).targets, [
    'lxc',
    'vm',
  ]);
  assert.equal(
    JSON.parse(readFileSync(join(ws, 'features/apps/phoenix_hypervisor_lxc_vllm.sh.json'), 'utf8')),
    {
      description: 'Application runner for vLLM containers.',
      reads: ['/vllm_engine_config'],
    },
  );
});

test('the report names what needs a human look, and validate fails on exactly the reported items', () => {
  const { repo, root } = realShapedTree();
  const ws = emptyDir();
  const r = phx(ws, ['import', repo, '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.is(report.source, root);
  const items = report.review.map((i) => `${i.reason} ${i.file ?? i.script ?? i.name ?? ''}`);
  assert.equal(items.sort(), [
    'host-side-commands features/apps/phoenix_hypervisor_lxc_vllm.sh',
    'host-side-commands features/nvidia/install.sh',
    'jq-not-converted features/nvidia/install.sh',
    'lxc-and-vm-scripts features/base_setup/install.sh',
    'lxc-and-vm-scripts features/docker/install.sh',
    'lxc-and-vm-scripts features/step_cli/install.sh',
    'lxc-and-vm-scripts features/trusted_ca/install.sh',
    'missing-app-script phoenix_hypervisor_lxc_955.sh',
    'missing-app-script phoenix_hypervisor_lxc_957.sh',
    'reads-host-config features/nvidia/install.sh',
    'sources-bash-helpers features/apps/phoenix_hypervisor_lxc_vllm.sh',
    'sources-bash-helpers features/nvidia/install.sh',
    'tree-files features/nvidia/install.sh',
  ]);
  const message = (reason: string, file: string) =>
    report.review.find((i) => i.reason === reason && (i.file ?? i.script) === file)?.message;
  assert.is(
    message('host-side-commands', 'features/nvidia/install.sh'),
    'features/nvidia/install.sh: drives the guest from the host (pct push ×2, pct exec ×2); phx runs install.sh inside the guest as root, so run those commands directly and read the id from $PHX_ID, not $1',
  );
  assert.match(
    message('missing-app-script', 'phoenix_hypervisor_lxc_955.sh') ?? '',
    'named by CT 914',
  );
  assert.match(
    message('tree-files', 'features/nvidia/install.sh') ?? '',
    '(bin/nvidia-persistenced.service)',
  );
  assert.ok(report.not_imported.some((n) => n.path === 'bin/managers/'));
  assert.ok(report.not_imported.some((n) => n.path === 'bin/lxc_setup/embedding_server.py'));
  assert.ok(report.not_imported.some((n) => n.path === 'etc/phoenix_lxc_configs.schema.json'));

  const v = phx(ws, ['validate', '--json']);
  assert.is(v.code, 1, v.stderr);
  const errors = (
    JSON.parse(v.stdout) as { diagnostics: { severity: string; code: string; message: string }[] }
  ).diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => `${d.code}: ${d.message}`).sort(), [
    'app-script: application script features/apps/phoenix_hypervisor_lxc_955.sh does not exist',
    'app-script: application script features/apps/phoenix_hypervisor_lxc_957.sh does not exist',
  ]);

  // Once the reported scripts exist, the imported workspace validates.
  for (const s of ['955', '957']) {
    writeFileSync(join(ws, `features/apps/phoenix_hypervisor_lxc_${s}.sh`), '#!/bin/bash\n', {
      mode: 0o755,
    });
  }
  const again = phx(ws, ['validate']);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, 'valid: 15 guests, 3 stacks, 9 features');
});

test('a feature with no installer, or none for VMs, is reported and is what validate rejects', () => {
  const { repo, root } = realShapedTree();
  rmSync(join(root, 'bin', 'vm_features'), { recursive: true });
  rmSync(join(root, 'bin', 'lxc_setup', 'phoenix_hypervisor_feature_install_traefik.sh'));
  const ws = emptyDir();
  const r = phx(ws, ['import', repo, '--json']);
  assert.is(r.code, 0, r.stderr);
  const review = (JSON.parse(r.stdout) as Report).review.filter((i) =>
    ['missing-feature', 'feature-kind-missing'].includes(i.reason),
  );
  assert.equal(
    review.map((i) => i.message),
    [
      'feature base_setup is used by VM 1001, VM 1002, but the tree has only bin/lxc_setup/phoenix_hypervisor_feature_install_base_setup.sh; make features/base_setup/install.sh serve that kind too and add it to "targets" in feature.json (phx validate reports it until then)',
      'feature trusted_ca is used by VM 1001, VM 1002, but the tree has only bin/lxc_setup/phoenix_hypervisor_feature_install_trusted_ca.sh; make features/trusted_ca/install.sh serve that kind too and add it to "targets" in feature.json (phx validate reports it until then)',
      'feature step_cli is used by VM 1001, VM 1002, but the tree has only bin/lxc_setup/phoenix_hypervisor_feature_install_step_cli.sh; make features/step_cli/install.sh serve that kind too and add it to "targets" in feature.json (phx validate reports it until then)',
      'feature traefik is used by CT 102 but the tree has no installer for it; write features/traefik/install.sh (phx validate reports it until then)',
      'feature docker is used by VM 1001, VM 1002, but the tree has only bin/lxc_setup/phoenix_hypervisor_feature_install_docker.sh; make features/docker/install.sh serve that kind too and add it to "targets" in feature.json (phx validate reports it until then)',
    ],
  );
  const v = phx(ws, ['validate', '--json']);
  assert.is(v.code, 1);
  const codes = (
    JSON.parse(v.stdout) as { diagnostics: { severity: string; code: string }[] }
  ).diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => d.code);
  const count = (code: string) => codes.filter((c) => c === code).length;
  assert.is(count('feature-target'), 8); // 4 features × 2 VMs
  assert.is(count('unknown-feature'), 1);
  assert.is(count('app-script'), 2);
  assert.is(codes.length, 11);
});

test('the text report lists the review items and where to go next', () => {
  const { repo } = realShapedTree();
  const ws = emptyDir();
  const r = phx(repo, ['import', '.', '--into', ws]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^imported .*\/usr\/local\/phoenix_hypervisor into /);
  assert.match(r.stdout, '  4 config file(s) in configs/\n');
  assert.match(r.stdout, '\nneeds a human look (13):\n');
  assert.match(
    r.stdout,
    '  - features/nvidia/install.sh: sources bash-Phoenix helpers (phoenix_hypervisor_common_utils.sh)',
  );
  assert.match(r.stdout, '\nnot imported:\n  - etc/phoenix_lxc_configs.schema.json:');
  assert.ok(existsSync(join(ws, 'features/vllm/install.sh')));
});

test('a second import refuses to overwrite without --force and changes nothing; --force overwrites', () => {
  const { repo } = realShapedTree();
  const ws = emptyDir();
  assert.is(phx(ws, ['import', repo]).code, 0);
  writeFileSync(join(ws, 'features/vllm/install.sh'), '#!/bin/bash\n# ported by hand\n');
  writeFileSync(join(ws, 'phoenix.build.ts'), 'export default { jobs: 2 };\n');
  const before = listTree(ws).sort();
  const r = phx(ws, ['import', repo]);
  assert.is(r.code, 1);
  assert.match(
    r.stderr,
    /import refused: \d+ file\(s\) already exist in .* \(--force overwrites them\):\n/,
  );
  assert.match(r.stderr, '  features/vllm/install.sh\n');
  assert.not.match(r.stderr, 'phoenix.build.ts');
  assert.is(r.stdout, '');
  assert.equal(listTree(ws).sort(), before);
  assert.is(
    readFileSync(join(ws, 'features/vllm/install.sh'), 'utf8'),
    '#!/bin/bash\n# ported by hand\n',
  );

  const forced = phx(ws, ['import', repo, '--force', '--json']);
  assert.is(forced.code, 0, forced.stderr);
  const report = JSON.parse(forced.stdout) as Report;
  assert.ok(report.written.includes('features/vllm/install.sh'));
  assert.equal(report.kept.sort(), ['features/lib/phx.sh', 'phoenix.build.ts']);
  assert.match(readFileSync(join(ws, 'features/vllm/install.sh'), 'utf8'), 'phx_log "vllm"');
  // The build file is written only when absent, even under --force.
  assert.is(readFileSync(join(ws, 'phoenix.build.ts'), 'utf8'), 'export default { jobs: 2 };\n');
});

test('a folder that is not a Phoenix tree exits 1, says what was expected, writes nothing', () => {
  const notPhoenix = emptyDir();
  mkdirSync(join(notPhoenix, 'bin'));
  writeFileSync(join(notPhoenix, 'README.md'), 'hello\n');
  const ws = emptyDir();
  const r = phx(ws, ['import', notPhoenix]);
  assert.is(r.code, 1);
  assert.is(
    r.stderr,
    `phx: ${notPhoenix} is not a bash Phoenix tree: expected /usr/local/phoenix_hypervisor (or a checkout holding usr/local/phoenix_hypervisor/) with\n` +
      '  etc/phoenix_lxc_configs.json (beside phoenix_hypervisor_config.json, phoenix_vm_configs.json, phoenix_stacks_config.json)\n' +
      '  bin/ with lxc_setup/phoenix_hypervisor_feature_install_<name>.sh\n',
  );
  assert.equal(readdirSync(ws), []);
  const missing = phx(ws, ['import', join(notPhoenix, 'nope')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, 'nope: no such folder');
});

test('jq paths become JSON pointers; expressions that are not plain paths do not', () => {
  assert.is(jqPathToPointer('.network_config.ip'), '/network_config/ip');
  assert.is(jqPathToPointer('.ports[0]'), '/ports/0');
  assert.is(jqPathToPointer('.["a/b~c"]'), '/a~1b~0c');
  assert.is(jqPathToPointer('.bootstrap_ca_url // ""'), '/bootstrap_ca_url');
  assert.is(jqPathToPointer('.vllm_engine_config | keys'), undefined);
  assert.is(jqPathToPointer('.'), undefined);
  assert.is(jqPathToPointer('$x'), undefined);
});

test('a phx-style script has nothing to review; raw jq on a config file is found by line', () => {
  assert.equal(scanScript('#!/bin/bash\n. ./lib/phx.sh\nphx_entry /name\n'), {
    reads: [],
    findings: [],
  });
  const scan = scanScript(
    '#!/bin/bash\nx=1\nname=$(jq -r ".lxc_configs[\\"$1\\"].name" "$LXC_CONFIG_FILE")\n',
  );
  assert.equal(scan.findings, [{ reason: 'reads-config-file', lines: [3] }]);
});

test.run();
