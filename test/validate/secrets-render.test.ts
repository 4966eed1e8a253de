// A diagnostic's source line never shows a secret's value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnostic } from '../../src/model/render.ts';
import { maskSecretsInLine } from '../../src/model/secret-keys.ts';

test('secret values are masked in rendered source lines', () => {
  const text = '{\n  "admin_password": "hunter2", "name": "keep"\n}\n';
  const out = renderDiagnostic(
    {
      severity: 'warning',
      file: 'c.json',
      line: 2,
      column: 3,
      pointer: '/admin_password',
      message: 'unknown key',
      code: 'unknown-key',
    },
    text,
  );
  assert.not.match(out, /hunter2/);
  assert.match(out, /"admin_password": "\*\*\*", "name": "keep"/);
});

test('only secret-looking keys are masked', () => {
  assert.is(
    maskSecretsInLine('"api_token": "x\\"y", "port": "80"'),
    '"api_token": "***", "port": "80"',
  );
});

test.run();
