// `<dir>/journal.jsonl`: one JSON line per command or host-file access, accepted
// or rejected, with start/end times from one clock (epoch ms). Tests read it to
// prove which commands ran and that two steps never overlapped.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface JournalEntry {
  readonly pid: number;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly target?: string;
  readonly kind?: string;
  /** `run`: argv is the command; `readFile`/`writeFile`: path is the host file. */
  readonly op: 'run' | 'readFile' | 'writeFile';
  readonly argv?: readonly string[];
  readonly path?: string;
  readonly exit: number;
  readonly accepted: boolean;
  /** First stderr line of a rejection. */
  readonly error?: string;
  /** The injected fault that applied, if any. */
  readonly fault?: 'fail' | 'hang' | 'wait-file';
  readonly cancelled?: boolean;
}

export function journalPath(dir: string): string {
  return join(dir, 'journal.jsonl');
}

export async function appendJournal(dir: string, entry: JournalEntry): Promise<void> {
  // One appendFile per line: O_APPEND writes of a short line do not interleave.
  await appendFile(journalPath(dir), `${JSON.stringify(entry)}\n`);
}

export async function readJournal(dir: string): Promise<JournalEntry[]> {
  const text = await readFile(journalPath(dir), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JournalEntry);
}
