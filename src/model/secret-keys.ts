// Which config keys hold secrets (passwords, tokens, keys). Their values never
// appear in logs, plans, graphs, diagnostics or the cache (DESIGN §7).
export const secretKeyPattern = /(password|passwd|secret|token|passphrase|private_key|api_key)/i;

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/** A JSON source line with the string values of secret keys replaced by "***". */
export function maskSecretsInLine(line: string): string {
  return line.replace(
    /("((?:[^"\\]|\\.)*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g,
    (whole, prefix: string, key: string) => (isSecretKey(key) ? `${prefix}"***"` : whole),
  );
}
