// The build file's VM options (`images`, `vm`) checked when it is loaded: it
// is code, so nothing else checks its shape, and a mistyped checksum must
// stop the command with its name rather than fail a download later.
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with `images` or `vm`, or undefined when both are absent or well formed. */
export function buildFileVmProblem(file: object): string | undefined {
  const { images, vm } = file as Obj;
  if (images !== undefined) {
    if (!isObj(images)) return 'images must be an object: { "<template_image>": { url, sha256 } }';
    for (const [name, entry] of Object.entries(images)) {
      const problem = imageProblem(entry);
      if (problem !== undefined) return `images['${name}']: ${problem}`;
    }
  }
  if (vm !== undefined) {
    if (!isObj(vm)) return 'vm must be an object: { agentTimeoutS }';
    const t = vm['agentTimeoutS'];
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t <= 0))
      return `vm.agentTimeoutS must be a positive number of seconds (got ${JSON.stringify(t)})`;
  }
  return undefined;
}

function imageProblem(entry: unknown): string | undefined {
  if (!isObj(entry)) return 'must be { url, sha256 } or { file }';
  const { url, file, sha256 } = entry;
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)))
    return 'sha256 must be 64 hex digits';
  if (url !== undefined) {
    if (file !== undefined) return 'give url or file, not both';
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return 'url must be an http(s) URL';
    if (sha256 === undefined)
      return 'a url needs its sha256 pinned (the download is verified against it)';
    return undefined;
  }
  if (typeof file !== 'string' || file === '') return 'must be { url, sha256 } or { file }';
  return undefined;
}
