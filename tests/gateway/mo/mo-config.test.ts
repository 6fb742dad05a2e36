import { z } from 'zod';
import { credentialsFromConfig } from '../../../gateway/mo/mo-runtime';
import { MoConfigSchema, moCrossFieldIssues, refineMoConfig } from '../../../config/mo-schema';

const known = { partners: new Set(['acme', 'esme']), connectors: new Set(['opA']) };

describe('MO config fragment', () => {
  it('applies defaults', () => {
    const c = MoConfigSchema.parse({ services: [{ id: 's', shortNumber: '4455', partner: 'acme', handler: { kind: 'httpPost', url: 'http://p/mo' } }] });
    expect(c.services[0]!.handler).toMatchObject({ kind: 'httpPost', timeoutMs: 5000, concurrency: 32, retries: 3, pipelineDepth: 1 });
    expect(c.mo).toEqual({ reassemblyTimeoutMs: 120_000, partialPolicy: 'deliver', maxOpenGroups: 100_000, redriveIntervalMs: 60_000, replyValidityMs: 86_400_000 });
    expect(c.noMatch).toEqual({});
    expect(c.sendApi).toMatchObject({ port: 8081, idempotencyTtlMs: 86_400_000 });
  });

  it('reports field errors with paths', () => {
    const r = MoConfigSchema.safeParse({
      services: [{ id: 's', shortNumber: '44 55', partner: 'acme', handler: { kind: 'ftp' } }],
      partnerHttp: [{ partner: 'acme', secret: 'short' }],
      mo: { partialPolicy: 'keep' },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    const paths = r.error.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['mo.partialPolicy', 'partnerHttp.0.secret', 'services.0.handler.kind', 'services.0.shortNumber']);
  });

  it('cross-field checks: partners, operators, duplicates, regex, secrets', () => {
    const c = MoConfigSchema.parse({
      services: [
        { id: 'a', shortNumber: '1', partner: 'nobody', handler: { kind: 'smpp' } },
        { id: 'a', shortNumber: '1', keyword: 'X', regex: 'y', operator: 'opZ', partner: 'esme', handler: { kind: 'smpp' } },
        { id: 'c', shortNumber: '1', regex: '(', partner: 'acme', handler: { kind: 'httpGet', url: 'http://p' } },
      ],
      partnerHttp: [{ partner: 'ghost', secret: '0123456789abcdef' }],
    });
    const issues = moCrossFieldIssues(c, known).map((i) => i.path.join('.'));
    expect(issues).toEqual(['services.0.partner', 'services.1.id', 'services.1.operator', 'services.1.regex', 'services.2.regex', 'services.2.handler', 'partnerHttp.0.partner']);
    const schema = MoConfigSchema.superRefine((v, ctx) => refineMoConfig(v, known, ctx));
    const r = schema.safeParse({ services: [{ id: 'a', shortNumber: '1', partner: 'nobody', handler: { kind: 'smpp' } }] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]!.code).toBe(z.ZodIssueCode.custom);
  });
});

describe('credentialsFromConfig', () => {
  it('joins SMPP credentials and partnerHttp API keys per partner', () => {
    expect(
      credentialsFromConfig(
        [{ id: 'acme', smpp: { systemId: 'acmesys', password: 'pw' } }, { id: 'beta' }],
        [{ partner: 'beta', apiKeys: ['k1'] }],
      ),
    ).toEqual([
      { partnerId: 'acme', apiKeys: [], smpp: { systemId: 'acmesys', password: 'pw' } },
      { partnerId: 'beta', apiKeys: ['k1'] },
    ]);
  });
});
