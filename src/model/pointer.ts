// JSON pointers (RFC 6901): the one address format diagnostics, `reads` and
// fingerprint inputs share, so they are built and split in one place.

export type PointerSegment = string | number;

function escape(segment: PointerSegment): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends segments to a pointer: `join('/lxc_configs', 950, 'name')` → `/lxc_configs/950/name`. */
export function join(base: string, ...segments: readonly PointerSegment[]): string {
  return base + segments.map((s) => '/' + escape(s)).join('');
}

export function fromPath(path: readonly PointerSegment[]): string {
  return join('', ...path);
}

export function split(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True for a syntactically valid JSON pointer ('' or starting with '/', escapes well formed). */
export function isPointer(text: string): boolean {
  return text === '' || (text.startsWith('/') && !/~[^01]|~$/.test(text));
}
