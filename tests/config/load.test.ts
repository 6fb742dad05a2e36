import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadConfigOrThrow, parseConfigText, validateConfig } from '../../config/load';
import { formatPath, normaliseDefaults } from './helpers';

const DEMO = join(__dirname, '..', '..', 'config', 'demo.yaml');

function issuesOf(text: string): string[] {
  const r = parseConfigText(text, 'test.yaml');
  if (r.ok) throw new Error('expected the config to be invalid');
  return r.issues;
}

const MINIMAL = `
connectors:
  - { id: a, protocol: smpp, host: 127.0.0.1, port: 2776, systemId: gw, password: pw }
  - { id: b, protocol: ucp, host: 127.0.0.1, port: 2777, user: '1234', password: secret }
partners:
  - id: p1
    smpp: { systemId: p1, password: pw1 }
routes:
  - { id: r1, prefix: '41', partners: [p1], targets: [a, b] }
  - { id: r2, prefix: '', targets: [a, b], weights: [3, 1] }
`;

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the demo config with the partner, connector, route and simulator the brief describes', () => {
    const r = loadConfig(DEMO);
    if (!r.ok) throw new Error(r.issues.join('\n'));
    const c = r.config;
    expect(c.store).toMatchObject({ kind: 'sqlite', path: './data/tollgate.sqlite', synchronous: 'FULL' });
    expect(c.admin).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.smppServer).toMatchObject({ host: '127.0.0.1', port: 2775 });
    expect(c.partners).toHaveLength(1);
    expect(c.partners[0]).toMatchObject({ id: 'demo', smpp: { systemId: 'demo', password: 'demo123' } });
    expect(c.connectors[0]).toMatchObject({ id: 'sim', protocol: 'smpp', host: '127.0.0.1', port: 2776, systemId: 'gw', password: 'gwpass' });
    expect(c.routes).toEqual([{ id: 'default', prefix: '', targets: ['sim'] }]);
    expect(c.simulators[0]).toMatchObject({ protocol: 'smpp', port: 2776, persona: 'dlrAfter(200,delivered)' });
  });

  it('returns a deep-frozen config', () => {
    const r = loadConfig(DEMO);
    if (!r.ok) throw new Error(r.issues.join('\n'));
    expect(Object.isFrozen(r.config)).toBe(true);
    expect(Object.isFrozen(r.config.connectors)).toBe(true);
    expect(Object.isFrozen(r.config.connectors[0])).toBe(true);
    expect(Object.isFrozen(r.config.routes[0]!.targets)).toBe(true);
  });

  it('applies every default', () => {
    const r = parseConfigText(MINIMAL);
    if (!r.ok) throw new Error(r.issues.join('\n'));
    const c = r.config;
    expect(c.node).toEqual({ id: 'node1', dataDir: './data' });
    expect(c.store).toEqual({
      kind: 'sqlite',
      path: './data/tollgate.sqlite',
      synchronous: 'FULL',
      groupCommitMaxDelayMs: 0,
      groupCommitMaxBatch: 2000,
      retentionHours: 72,
      purgeIntervalMs: 600_000,
      worker: true,
    });
    expect(c.admin).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.log).toEqual({ level: 'info' });
    expect(c.smppServer).toEqual({ host: '0.0.0.0', port: 2775, enquireLinkIntervalMs: 30_000, responseTimeoutMs: 30_000, windowSize: 100 });
    expect(c.retry).toEqual({ maxAttempts: 10, backoffMinMs: 1000, backoffMaxMs: 300_000 });
    expect(c.simulators).toEqual([]);
    expect(c.connectors[0]).toEqual({
      id: 'a',
      protocol: 'smpp',
      host: '127.0.0.1',
      port: 2776,
      systemId: 'gw',
      password: 'pw',
      bindType: 'transceiver',
      binds: 1,
      windowSize: 100,
      maxSubmitPerSec: 0,
      enquireLinkIntervalMs: 30_000,
      responseTimeoutMs: 30_000,
      reconnectMinMs: 1000,
      reconnectMaxMs: 60_000,
      tls: false,
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      destAddrTon: 1,
      destAddrNpi: 1,
      receiptIdFormat: 'auto',
    });
    // `user` is the UCP/CIMD2 spelling of the login and lands in systemId.
    expect(c.connectors[1]!.systemId).toBe('1234');
    expect(c.partners[0]).toEqual({
      id: 'p1',
      smpp: { systemId: 'p1', password: 'pw1', allowedIps: [], maxBinds: 4, maxSubmitPerSec: 0 },
      receiptMode: 'perPart',
      receiptMaxAgeHours: 72,
      defaultValidityHours: 48,
    });
  });

  it('puts the default store path under dataDir', () => {
    const r = parseConfigText('node: { dataDir: /var/lib/tollgate }');
    if (!r.ok) throw new Error(r.issues.join('\n'));
    expect(r.config.store.path).toBe('/var/lib/tollgate/tollgate.sqlite');
  });

  it('accepts an empty document as all defaults', () => {
    const r = parseConfigText('');
    expect(r.ok).toBe(true);
  });

  it('reports every problem of a file, each with its path', () => {
    const issues = issuesOf(`
store: { synchronous: OFF, groupCommitMaxBatch: 0 }
admin: { port: 70000 }
connectors:
  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw, password: pw }
  - { id: b, protocol: smpp, host: h, port: 2, systemId: gw, password: pw }
  - { id: c, protocol: smpp, host: h, port: 3, systemId: gw, password: pw, windowSize: 0, bindTyp: receiver }
  - { id: d, protocol: x25, host: h, port: 4, systemId: gw }
routes:
  - { id: r1, prefix: '4a', targets: [a] }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^store\.synchronous: /),
        expect.stringMatching(/^store\.groupCommitMaxBatch: /),
        expect.stringMatching(/^admin\.port: /),
        'connectors[2].windowSize: expected integer in 1..10000',
        'connectors[2].bindTyp: unknown key',
        expect.stringMatching(/^connectors\[3\]\.protocol: /),
        expect.stringMatching(/^routes\[0\]\.prefix: /),
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('reports cross-field problems even when fields elsewhere are invalid', () => {
    const issues = issuesOf(`
retry: { maxAttempts: -1 }
connectors:
  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw }
routes:
  - { id: r1, prefix: '', targets: [a, nope] }
`);
    expect(issues).toContain('routes[0].targets[1]: unknown connector \'nope\'');
    expect(issues.some((i) => i.startsWith('retry.maxAttempts: '))).toBe(true);
  });

  it('rejects a route target that names no connector and a partner filter that names no partner', () => {
    const issues = issuesOf(`
connectors:
  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw }
routes:
  - { id: r1, prefix: '1', targets: [a, b], partners: [ghost] }
`);
    expect(issues.map(formatPath)).toEqual(['routes[0].targets[1]', 'routes[0].partners[0]']);
  });

  it('rejects weights whose length differs from targets', () => {
    const issues = issuesOf(`
connectors:
  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw }
  - { id: b, protocol: smpp, host: h, port: 2, systemId: gw }
routes:
  - { id: r1, prefix: '', targets: [a, b], weights: [1] }
`);
    expect(issues.map(formatPath)).toEqual(['routes[0].weights']);
  });

  it('rejects duplicate connector, partner, partner systemId and route ids', () => {
    const issues = issuesOf(`
connectors:
  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw }
  - { id: a, protocol: smpp, host: h, port: 2, systemId: gw }
partners:
  - { id: p, smpp: { systemId: s, password: x } }
  - { id: p, smpp: { systemId: s, password: y } }
routes:
  - { id: r, prefix: '', targets: [a] }
  - { id: r, prefix: '1', targets: [a] }
`);
    expect(issues.map(formatPath).sort()).toEqual(
      ['connectors[1].id', 'partners[1].id', 'partners[1].smpp.systemId', 'routes[1].id'].sort(),
    );
  });

  it('rejects colliding listening ports', () => {
    const issues = issuesOf(`
admin: { port: 2775 }
simulators:
  - { protocol: smpp, port: 2775, systemId: gw, password: pw }
`);
    expect(issues.map(formatPath).sort()).toEqual(['simulators[0].port', 'smppServer.port']);
  });

  it('rejects SMPP credentials longer than the spec allows and bad IP filters', () => {
    const issues = issuesOf(`
partners:
  - id: p
    smpp: { systemId: abcdefghijklmnop, password: 123456789, allowedIps: [10.0.0.0/8, 10.0.0.0/33, nonsense, '::1'] }
`);
    expect(issues.map(formatPath).sort()).toEqual(
      ['partners[0].smpp.allowedIps[1]', 'partners[0].smpp.allowedIps[2]', 'partners[0].smpp.password', 'partners[0].smpp.systemId'].sort(),
    );
  });

  it('includes the MO sections (issue 6) with their cross-field checks', () => {
    const ok = parseConfigText(MINIMAL);
    if (!ok.ok) throw new Error(ok.issues.join('\n'));
    expect(ok.config.services).toEqual([]);
    expect(ok.config.sendApi.port).toBe(8081);
    const issues = issuesOf(`
partners: [{ id: p1 }]
services:
  - { id: s1, shortNumber: '1234', partner: ghost, handler: { kind: smpp } }
`);
    expect(issues.map(formatPath)).toEqual(['services[0].partner']);
  });

  it('rejects an unknown simulator persona', () => {
    const issues = issuesOf(`
simulators:
  - { protocol: smpp, port: 2776, systemId: gw, password: pw, persona: grumpy }
`);
    expect(issues.map(formatPath)).toEqual(['simulators[0].persona']);
  });

  it('reports a YAML syntax error with file, line and column', () => {
    const issues = issuesOf('node:\n  id: [unclosed\nstore: {}\n');
    expect(issues.length).toBeGreaterThanOrEqual(1);
    expect(issues[0]).toMatch(/^test\.yaml:\d+:\d+: YAML /);
  });

  it('reports duplicate YAML keys as a syntax problem', () => {
    const issues = issuesOf('admin: { port: 1 }\nadmin: { port: 2 }\n');
    expect(issues[0]).toMatch(/^test\.yaml:2:1: YAML DUPLICATE_KEY/);
  });

  it('reports a missing file', () => {
    const r = loadConfig(join(dir, 'nope.yaml'));
    expect(r).toEqual({ ok: false, issues: [`${join(dir, 'nope.yaml')}: cannot read file (ENOENT)`] });
  });

  it('rejects a document that is not a mapping', () => {
    expect(validateConfig([1, 2]).ok).toBe(false);
    expect(parseConfigText('- a\n- b\n').ok).toBe(false);
  });

  it('loadConfigOrThrow throws ConfigError carrying the issues', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'log: { level: loud }\n');
    let caught: unknown;
    try {
      loadConfigOrThrow(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('CONFIG');
    expect((caught as ConfigError).issues.map(formatPath)).toEqual(['log.level']);
  });

  it('round-trips: a loaded config validates again to the same value', () => {
    const r = loadConfig(DEMO);
    if (!r.ok) throw new Error(r.issues.join('\n'));
    const again = validateConfig(normaliseDefaults(r.config));
    if (!again.ok) throw new Error(again.issues.join('\n'));
    expect(again.config).toEqual(r.config);
  });
});

describe('config/examples', () => {
  it('every example file is valid', () => {
    const dir = join(__dirname, '..', '..', 'config', 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = loadConfig(join(dir, f));
      if (!r.ok) throw new Error(`${f}: ${r.issues.join('; ')}`);
    }
  });
});
