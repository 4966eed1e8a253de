// Feature params against the manifest's `params` JSON Schema. ajv is loaded
// and a schema compiled only when some entry actually gives params: loading
// runs at the start of every `phx plan` and must stay fast.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { join } from '../pointer.ts';
import type { FeatureManifest } from '../model.ts';
import type { CheckContext } from './context.ts';
import { reportAt, reportInFile } from './context.ts';

type Compiler = (schema: Record<string, unknown>) => ValidateFunction;

export async function checkParams(ctx: CheckContext): Promise<void> {
  let compilers: Promise<{ draft7: Compiler; draft2020: Compiler }> | undefined;
  const compiled = new Map<string, ValidateFunction | undefined>();
  for (const p of ctx.placed) {
    for (const [i, ref] of p.guest.features.entries()) {
      const manifest = ctx.catalog.features.get(ref.name);
      if (manifest === undefined) continue;
      const given = Object.keys(ref.params).length > 0;
      if (!given) {
        const missing = requiredKeys(manifest);
        if (missing.length > 0) {
          reportAt(
            ctx,
            p,
            ['features', i],
            'feature-params',
            `feature ${ref.name} needs params: ${missing.join(', ')}`,
          );
        }
        continue;
      }
      if (manifest.params === undefined) {
        reportAt(
          ctx,
          p,
          ['features', i, 'params'],
          'feature-params',
          `feature ${ref.name} takes no params (its feature.json declares none)`,
        );
        continue;
      }
      if (!compiled.has(ref.name)) {
        compilers ??= loadAjv();
        compiled.set(ref.name, compile(ctx, manifest, await compilers));
      }
      const validate = compiled.get(ref.name);
      if (validate === undefined || validate(ref.params)) continue;
      for (const e of validate.errors ?? []) {
        ctx.reporter.at(p.file, {
          severity: 'error',
          code: 'feature-params',
          pointer: ref.source.pointer + '/params' + e.instancePath,
          message: `feature ${ref.name}: params${e.instancePath} ${describe(e)}`,
        });
      }
    }
  }
}

function requiredKeys(manifest: FeatureManifest): string[] {
  const required = manifest.params?.['required'];
  return Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [];
}

function compile(
  ctx: CheckContext,
  manifest: FeatureManifest,
  c: { draft7: Compiler; draft2020: Compiler },
): ValidateFunction | undefined {
  const schema = manifest.params!;
  const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  try {
    return (dialect.includes('2020-12') ? c.draft2020 : c.draft7)(schema);
  } catch (e) {
    const file = ctx.catalog.manifestFiles.get(manifest.name);
    const message = `the params schema of feature ${manifest.name} does not compile: ${(e as Error).message}`;
    if (file !== undefined)
      reportInFile(ctx, file, join('', 'params'), 'feature-manifest', message);
    return undefined;
  }
}

/** One ajv instance per draft: a 2020-12 schema fails in draft-07's ajv and back (deps.md). */
async function loadAjv(): Promise<{ draft7: Compiler; draft2020: Compiler }> {
  const [{ Ajv }, { Ajv2020 }, formats] = await Promise.all([
    import('ajv'),
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
  ]);
  const addFormats = formats.default.default;
  // strict: false — these are users' schemas; ajv's strict mode rejects sloppy but valid ones.
  const options = { strict: false, allErrors: true };
  const draft7 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  addFormats(draft7);
  addFormats(draft2020);
  return { draft7: (s) => draft7.compile(s), draft2020: (s) => draft2020.compile(s) };
}

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties')
    return `must not have property "${String(params['additionalProperty'])}"`;
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify(params['allowedValues'])}`;
  return e.message ?? 'is invalid';
}
