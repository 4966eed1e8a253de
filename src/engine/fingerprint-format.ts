// The engine's format version, an input of every fingerprint. Rule digests
// cover the code of the rules (src/engine/rule-digests.ts); what no rule
// imports still shapes what is built: how targets are expanded, which inputs
// enter a fingerprint, how the executor runs a rule (rolling back, pushing a
// folder). A phx release that changes such behaviour bumps this number, and
// every target rebuilds once with the reason `engine-format 1 → 2`; a release
// that does not, leaves every fingerprint as it was.

/** Bump when a change outside the rules' modules changes what a build produces. */
export const ENGINE_FORMAT = 1;
