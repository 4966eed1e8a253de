// `phx-sim`: one command against the simulated node, as a process. Lets a
// user look at the sim host (`phx-sim pct list`, `phx-sim pct config 950`)
// and lets tests drive the proxmox backend across a real exec boundary.
//   phx-sim pct|pvesh ARGS…          run a command line
//   phx-sim --read-file PATH         print a host file (exit 1 if absent)
//   phx-sim --write-file PATH        replace a host file with stdin
// The node's folder is PHX_SIM_DIR, else .phoenix-sim.
import { SimRunner, simOptionsFromEnv } from './runner.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function simMain(argv: readonly string[]): Promise<number> {
  const options = simOptionsFromEnv(process.env, { dir: '.phoenix-sim', durations: {}, scale: 0 });
  if (!options.ok) {
    process.stderr.write(`phx-sim: ${options.error}\n`);
    return 2;
  }
  const runner = new SimRunner({
    ...options.value,
    onNote: (n) => process.stderr.write(`sim: ${n}\n`),
  });
  const opts = { signal: new AbortController().signal };
  try {
    const [first, path] = argv;
    if (first === '--read-file' && path !== undefined) {
      const text = await runner.readFile(path, opts);
      if (text === undefined) {
        process.stderr.write(`phx-sim: ${path}: no such host file\n`);
        return 1;
      }
      process.stdout.write(text);
      return 0;
    }
    if (first === '--write-file' && path !== undefined) {
      await runner.writeFile(path, await readStdin(), opts);
      return 0;
    }
    if (first === undefined) {
      process.stderr.write(
        'usage: phx-sim pct|pvesh ARGS… | --read-file PATH | --write-file PATH\n',
      );
      return 2;
    }
    const r = await runner.run(argv, opts);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.exitCode;
  } catch (e) {
    process.stderr.write(`phx-sim: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await runner.close();
  }
}
