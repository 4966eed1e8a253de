// A health-check command line split into argv words, the way a user reads
// it: whitespace separates, single and double quotes group. No expansion of
// any kind happens, and shell syntax (; | & $ ` < > and friends) is refused,
// so a config value never becomes shell text inside the guest.
// Written once in the model, where validation uses it too.
export { splitWords, type Words } from '../model/command-words.ts';
