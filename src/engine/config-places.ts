// Where a config value is written, for plans that name the line to edit.
// Files are read only when a plan has a changed config value to place, and
// parsed once each; a file edited between validation and this read gives a
// line of the newer text, which is the one the user is looking at.
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { locate, parseSource, type SourceFile } from '../model/source.ts';
import type { Project } from '../model/model.ts';
import type { ConfigPlace } from './diff.ts';

/** `(file as validate shows it, pointer) → file:line`, for the project's four config files. */
export function configPlaces(
  files: Project['files'],
): (file: string, pointer: string) => ConfigPlace | undefined {
  const parsed = new Map<string, SourceFile | undefined>();
  const read = (display: string): SourceFile | undefined => {
    // Guests name their file as validate displays it: relative to the working
    // directory where possible, else absolute.
    const abs = Object.values(files).find((f) => f === display || f.endsWith(sep + display));
    if (abs === undefined) return undefined;
    try {
      return parseSource(abs, display, readFileSync(abs, 'utf8'));
    } catch {
      return undefined;
    }
  };
  return (file, pointer) => {
    if (!parsed.has(file)) parsed.set(file, read(file));
    const source = parsed.get(file);
    if (source === undefined || source.tree() === undefined) return undefined;
    return { file, line: locate(source, pointer).line };
  };
}
