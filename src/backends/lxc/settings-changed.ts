// Which managed settings differ between two configs: the keys (sorted) whose
// lines were added, removed or changed. How the lxc backend says what a
// running container still waits on a restart for.
export function settingsChanged(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}
