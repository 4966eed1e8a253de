// A test may skip only where the machine lacks a privilege or a tool, and must
// say why. `.ci/run` sets PHX_TEST_NO_SKIP=1, which turns every such skip into
// a failure, because CI installs everything the tests need.
import { execFileSync } from 'node:child_process';

export function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Returns a reason to skip, or undefined when everything is there. Under
 * PHX_TEST_NO_SKIP=1 a missing requirement throws instead.
 */
export function missing(requirements: { tools?: string[]; root?: boolean }): string | undefined {
  const reasons: string[] = [];
  if (requirements.root && !isRoot()) reasons.push('not running as root');
  for (const tool of requirements.tools ?? [])
    if (!hasTool(tool)) reasons.push(`${tool} not installed`);
  if (reasons.length === 0) return undefined;
  const reason = reasons.join(', ');
  if (process.env.PHX_TEST_NO_SKIP === '1') {
    throw new Error(`required by PHX_TEST_NO_SKIP=1 but missing: ${reason}`);
  }
  process.stdout.write(`SKIP: ${reason}\n`);
  return reason;
}
