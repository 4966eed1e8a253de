// Every command's --help has examples and lists the global flags; every
// subcommand has a description. The command list is read from `phx --help`
// itself, so a command added later is held to the same rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, type PhxResult } from '../helpers/rig.ts';

const rig = Rig.create();

/** `name  description` rows of a help text's Commands: part. */
function commandsOf(help: string): { name: string; description: string }[] {
  const part = /\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
  const rows: { name: string; description: string }[] = [];
  for (const line of part.split('\n')) {
    const m = /^ {2}(\S+)(?: \S+)*?(?: {2,}(.*))?$/.exec(line);
    if (m) rows.push({ name: m[1]!, description: m[2] ?? '' });
    // A wrapped description continues on a line indented under it.
  }
  return rows.filter((r) => r.name !== 'help');
}

async function help(path: readonly string[]): Promise<PhxResult> {
  const r = await rig.phx([...path, '--help']);
  assert.is(r.code, 0, `${path.join(' ')} --help: ${r.stderr}`);
  return r;
}

test('phx --help has examples and lists commands with descriptions', async () => {
  const r = await help([]);
  assert.match(r.stdout, /\nExamples:\n {2}\$ phx /);
  const commands = commandsOf(r.stdout);
  assert.ok(commands.length >= 10, `commands: ${commands.map((c) => c.name).join(' ')}`);
  for (const c of commands) assert.ok(c.description !== '', `${c.name} has no description`);
});

test("every command's and subcommand's help has examples and the global flags", async () => {
  const top = commandsOf((await help([])).stdout);
  const seen: string[] = [];
  for (const { name } of top) {
    const r = await help([name]);
    const subs = commandsOf(r.stdout);
    for (const sub of subs)
      assert.ok(sub.description !== '', `${name} ${sub.name}: no description`);
    for (const path of [[name], ...subs.map((s) => [name, s.name])]) {
      const text = path.length === 1 ? r.stdout : (await help(path)).stdout;
      const what = `phx ${path.join(' ')} --help`;
      assert.match(text, new RegExp(`\\nExamples:\\n {2}\\$ phx ${path[0]}`), `${what}: examples`);
      assert.match(text, /\nGlobal Options:\n/, `${what}: global options`);
      for (const flag of ['--config-dir', '--backend', '--json', '--no-wait'])
        assert.ok(text.includes(flag), `${what}: ${flag}`);
      seen.push(path.join(' '));
    }
  }
  for (const expected of ['plan', 'build', 'cache ls', 'cache export', 'cache gc', 'status'])
    assert.ok(seen.includes(expected), `${expected} checked (${seen.join(', ')})`);
});

test('cache subcommands have descriptions', async () => {
  const subs = commandsOf((await help(['cache'])).stdout);
  assert.equal(subs.map((s) => s.name).sort(), ['export', 'gc', 'ls', 'rebuild', 'verify']);
  const ls = subs.find((s) => s.name === 'ls')!;
  assert.match(ls.description, /list the build records/);
});

test.after(() => {
  rig.cleanup();
});

test.run();
