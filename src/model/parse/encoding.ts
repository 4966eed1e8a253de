// Config bytes → text. JSON config files are UTF-8 (RFC 8259 §8.1); a file
// saved as UTF-16 would otherwise read as "invalid symbol" at 1:1, so it is
// refused by name. A UTF-8 byte order mark is accepted (source.ts drops it).
import { err, ok } from '../../core/result.ts';
import type { Result } from '../../core/result.ts';

export function decodeConfig(bytes: Buffer): Result<string, string> {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return err(
      'the file is UTF-16 encoded (it starts with a UTF-16 byte order mark): save it as UTF-8',
    );
  }
  return ok(bytes.toString('utf8'));
}
