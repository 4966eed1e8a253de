// The fake remote node's `pct`, `pvesh` and /etc/pve file access: one sim
// node (SimRunner on $PHX_FAKE_SIM_DIR) behind command-line tools, so the
// proxmox backend can be driven through SshRunner → fake ssh → these.
//   node --import tsx fake-pct.ts pct …        run a command line on the sim
//   node --import tsx fake-pct.ts read-file P  print a host file (exit 1, "No such file" when absent)
//   node --import tsx fake-pct.ts write-file P write stdin to a host file
import { SimRunner } from '../../src/sim/runner.ts';

const dir = process.env.PHX_FAKE_SIM_DIR;
if (dir === undefined) {
  process.stderr.write('fake-pct: PHX_FAKE_SIM_DIR is not set\n');
  process.exit(2);
}
const sim = new SimRunner({ dir, durations: {}, scale: 0, faults: [] });
const signal = new AbortController().signal;
const [mode, ...rest] = process.argv.slice(2);

async function stdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function main(): Promise<number> {
  if (mode === 'read-file') {
    const text = await sim.readFile(rest[0] ?? '', { signal });
    if (text === undefined) {
      process.stderr.write(`cat: ${rest[0]}: No such file or directory\n`);
      return 1;
    }
    process.stdout.write(text);
    return 0;
  }
  if (mode === 'write-file') {
    try {
      await sim.writeFile(rest[0] ?? '', await stdin(), { signal });
      return 0;
    } catch (e) {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  const r = await sim.run([mode ?? '', ...rest], { signal });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.exitCode;
}

process.exitCode = await main();
