// A fake `ssh` for tests: records its argv (one JSON line per call), plays
// the ControlMaster socket (a file at ControlPath, removed by `-O exit`) and
// runs the remote command string with `/bin/sh -c`, as sshd does with the
// login shell. The "remote" PATH starts with `remote-bin/`, where a test puts
// fake tools (argv-dump here; pct/pvesh forwarding to the sim in the backend test).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface FakeSsh {
  readonly dir: string;
  /** Folder holding `ssh`: put it first on PATH. */
  readonly binDir: string;
  /** Tools of the fake remote host. */
  readonly remoteBin: string;
  /** PATH with the fake ssh first. */
  readonly env: NodeJS.ProcessEnv;
  /** Every ssh invocation's argv (without argv[0]). */
  calls(): string[][];
  addRemoteTool(name: string, script: string): void;
  cleanup(): void;
}

const sshScript = (log: string, remoteBin: string) => `#!${process.execPath}
const { appendFileSync, existsSync, writeFileSync, rmSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const opts = {};
let op;
let i = 0;
for (; i < args.length; i++) {
  const a = args[i];
  if (a === '-o') { const [k, ...v] = args[++i].split('='); opts[k] = v.join('='); }
  else if (a === '-O') op = args[++i];
  else if (a.startsWith('-')) continue;
  else break;
}
i++; // the host
if (args[i] === '--') i++;
if (op === 'exit') { if (opts.ControlPath) rmSync(opts.ControlPath, { force: true }); process.exit(0); }
if (opts.ControlMaster === 'auto' && opts.ControlPath && !existsSync(opts.ControlPath)) writeFileSync(opts.ControlPath, 'master');
const cmd = args.slice(i).join(' ');
const env = { ...process.env, PATH: ${JSON.stringify(remoteBin)} + ':' + process.env.PATH };
const r = spawnSync('/bin/sh', ['-c', cmd], { stdio: 'inherit', env });
process.exit(r.status === null ? 255 : r.status);
`;

const argvDump = `#!${process.execPath}
process.stdout.write(JSON.stringify(process.argv.slice(2)));
`;

export function makeFakeSsh(): FakeSsh {
  const dir = mkdtempSync(join(tmpdir(), 'phx-fakessh-'));
  const binDir = join(dir, 'bin');
  const remoteBin = join(dir, 'remote-bin');
  mkdirSync(binDir);
  mkdirSync(remoteBin);
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  writeFileSync(join(binDir, 'ssh'), sshScript(log, remoteBin));
  chmodSync(join(binDir, 'ssh'), 0o755);
  const addRemoteTool = (name: string, script: string) => {
    writeFileSync(join(remoteBin, name), script);
    chmodSync(join(remoteBin, name), 0o755);
  };
  addRemoteTool('argv-dump', argvDump);
  return {
    dir,
    binDir,
    remoteBin,
    env: { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` },
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as string[]),
    addRemoteTool,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
