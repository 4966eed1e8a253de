// The build file of this project: what `phx` builds and how.
import type { BuildFile } from './src/engine/build-file.ts';

export default {
  configDir: 'configs',
  featuresDir: 'features',
  backend: 'auto',
  jobs: 4,
  // One slot per GPU: two GPU-holding steps on GPU 0 never run at once.
  pools: {},
  sim: {
    // Milliseconds each simulated operation takes, by the kind of target it
    // serves: enough for the example build to show a few seconds of parallel work.
    durations: {
      create: 150,
      clone: 120,
      settings: 15,
      feature: 50,
      app: 40,
      check: 20,
      snapshot: 40,
      firewall: 10,
    },
    scale: 1,
  },
} satisfies BuildFile;
