// features/portainer_agent/install.sh against a fake `docker` that keeps the
// one container's image and port in a file: the first run pulls and starts
// the pinned image, a second run changes nothing, a new version replaces
// the container, and an entry that is not an agent is refused.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const FEATURES = join(import.meta.dirname, '../../features');

const fakeDocker = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_LOG"
case "$1" in
  inspect)
    [ -f "$FAKE_STATE" ] || exit 1
    case "$3" in *State.Running*) echo true ;; *) cat "$FAKE_STATE" ;; esac ;;
  run)
    prev= port= image=
    for a in "$@"; do
      [ "$prev" = "-p" ] && port="\${a%%:*}"
      prev="$a"; image="$a"
    done
    echo "$image $port" > "$FAKE_STATE" ;;
  rm) rm -f "$FAKE_STATE" ;;
esac
`;

interface Ws {
  readonly dir: string;
  run(entry: object, params?: object): { status: number; stderr: string; calls: string[] };
}

function workspace(): Ws {
  const dir = mkdtempSync(join(tmpdir(), 'phx-portainer-'));
  const feature = join(dir, 'feature');
  cpSync(join(FEATURES, 'portainer_agent'), feature, { recursive: true });
  cpSync(join(FEATURES, 'lib'), join(feature, 'lib'), { recursive: true });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker'), fakeDocker);
  // phx_require_root asks `id -u`: the test runs as whoever runs it.
  writeFileSync(
    join(bin, 'id'),
    '#!/bin/sh\n[ "$1" = "-u" ] && { echo 0; exit 0; }\nexec /usr/bin/id "$@"\n',
  );
  chmodSync(join(bin, 'docker'), 0o755);
  chmodSync(join(bin, 'id'), 0o755);
  return {
    dir,
    run(entry, params) {
      const log = join(dir, 'calls.log');
      rmSync(log, { force: true });
      writeFileSync(join(dir, 'entry.json'), JSON.stringify(entry));
      if (params) writeFileSync(join(dir, 'params.json'), JSON.stringify(params));
      else rmSync(join(dir, 'params.json'), { force: true });
      const r = spawnSync('bash', [join(feature, 'install.sh')], {
        encoding: 'utf8',
        env: {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          PHX_ID: '1002',
          PHX_ENTRY: join(dir, 'entry.json'),
          PHX_PARAMS: join(dir, 'params.json'),
          FAKE_LOG: log,
          FAKE_STATE: join(dir, 'container'),
        },
      });
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      return {
        status: r.status ?? -1,
        stderr: r.stderr,
        calls: calls.map((c) => c.split(' ')[0]!),
      };
    },
  };
}

const agent = { vmid: 1002, portainer_role: 'agent' };

test('first run starts the pinned image; the second changes nothing', () => {
  const ws = workspace();
  try {
    const first = ws.run(agent);
    assert.is(first.status, 0, first.stderr);
    assert.equal(first.calls, ['inspect', 'pull', 'run']);
    assert.is(readFileSync(join(ws.dir, 'container'), 'utf8'), 'portainer/agent:2.21.4 9001\n');
    const second = ws.run(agent);
    assert.is(second.status, 0, second.stderr);
    assert.equal(
      second.calls,
      ['inspect', 'inspect'],
      'only looks: nothing pulled, run or removed',
    );
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('another version replaces the container', () => {
  const ws = workspace();
  try {
    assert.is(ws.run(agent).status, 0);
    const next = ws.run(agent, { version: '2.22.0' });
    assert.is(next.status, 0, next.stderr);
    assert.equal(next.calls, ['inspect', 'rm', 'pull', 'run']);
    assert.match(
      next.stderr,
      /replacing portainer_agent \(portainer\/agent:2\.21\.4 9001 -> portainer\/agent:2\.22\.0 9001\)/,
    );
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('an entry that is not an agent is refused before docker is touched', () => {
  const ws = workspace();
  try {
    const r = ws.run({ vmid: 1001, portainer_role: 'primary' });
    assert.is(r.status, 1);
    assert.match(
      r.stderr,
      /portainer_agent belongs on an entry whose portainer_role is agent \(this one: primary\)/,
    );
    assert.equal(r.calls, []);
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test.run();
