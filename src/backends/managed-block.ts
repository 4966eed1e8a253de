// phx's part of a host file other tools and people also edit (/etc/exports,
// smb.conf, modprobe.d, authorized_keys): lines between `# BEGIN phx <name>`
// and `# END phx <name>`. Only that block is ever replaced or removed, so a
// line phx did not write is never touched (DESIGN §8).
const begin = (name: string): string =>
  `# BEGIN phx ${name} (managed by phx: edits here are replaced)`;
const end = (name: string): string => `# END phx ${name}`;

interface Found {
  readonly start: number;
  /** Index of the END line. */
  readonly stop: number;
}

function find(lines: readonly string[], name: string): Found | undefined {
  const start = lines.findIndex(
    (l) => l.startsWith(`# BEGIN phx ${name} (`) || l === `# BEGIN phx ${name}`,
  );
  if (start < 0) return undefined;
  const stop = lines.indexOf(end(name), start + 1);
  // A BEGIN without its END (a hand edit cut it): the block runs to the end of the file.
  return { start, stop: stop < 0 ? lines.length - 1 : stop };
}

/** Whether the text holds phx's block `name`. */
export function blockPresent(text: string, name: string): boolean {
  return find(text.split('\n'), name) !== undefined;
}

/** The text with phx's block `name` holding `body` (added at the end when absent); an empty body removes the block. */
export function replaceBlock(text: string | undefined, name: string, body: string): string {
  const lines = (text ?? '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const found = find(lines, name);
  const block = body === '' ? [] : [begin(name), ...body.replace(/\n$/, '').split('\n'), end(name)];
  if (found !== undefined) lines.splice(found.start, found.stop - found.start + 1, ...block);
  else if (block.length > 0) lines.push(...block);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The lines of the file outside every phx block: what others wrote. */
export function foreignLines(text: string | undefined): string[] {
  const out: string[] = [];
  let inside = false;
  for (const l of (text ?? '').split('\n')) {
    if (l.startsWith('# BEGIN phx ')) inside = true;
    else if (l.startsWith('# END phx ')) inside = false;
    else if (!inside) out.push(l);
  }
  return out;
}
