// Artifacts (DESIGN §1, `consumes`): a producer target publishes files in
// its guest under /var/lib/phx/artifacts/; phx copies them out after it
// builds, keyed by its fingerprint, and hands them to each consumer inside
// its guest under $PHX_ARTIFACTS/<producer id with / as _>/.
import { join } from 'node:path';

/** Where a producer leaves the files it publishes, inside its guest. */
export const publishedDir = '/var/lib/phx/artifacts';

/** The local copy of one build of a producer's published files. */
export function artifactDir(cacheDir: string, producer: string, fingerprint: string): string {
  return join(cacheDir, 'artifacts', producer.replace(/\//g, '_'), fingerprint);
}
