import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exited, spawnUntil } from '../../bench/lib/child';
import { Personas } from '../../simulators/smpp/personas';
import { startSmppSimulator } from '../../simulators/smpp/simulator';
import type { SmppSimulator } from '../../simulators/smpp/simulator';
import { NpmPartner } from './helpers/npm-partner';
import { until } from './helpers/gateway-harness';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/tollgate');

function yaml(dir: string, simPorts: number[], target: string, adminPort = 0): string {
  return `node: { id: cli, dataDir: ${JSON.stringify(dir)} }
store: { synchronous: NORMAL }
admin: { host: 127.0.0.1, port: ${adminPort} }
log: { level: info }
smppServer: { host: 127.0.0.1, port: 0 }
partners:
  - id: acme
    smpp: { systemId: acme, password: secret1 }
connectors:
${simPorts.map((p, i) => `  - { id: s${i + 1}, protocol: smpp, host: 127.0.0.1, port: ${p}, systemId: gw, password: gwpass, reconnectMinMs: 50, reconnectMaxMs: 200 }`).join('\n')}
routes:
  - { id: all, prefix: '', targets: [${target}] }
`;
}

function request(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.end();
  });
}

describe('bin/tollgate and the admin HTTP port', () => {
  let dir = '';
  const sims: SmppSimulator[] = [];
  const children: ChildProcess[] = [];
  const partners: NpmPartner[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
  });

  afterEach(async () => {
    await Promise.all(partners.splice(0).map((p) => p.close()));
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await exited(c);
    }
    await Promise.all(sims.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('check: exit 0 for a valid file, 1 with one line per issue for an invalid one; start refuses an invalid file', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, yaml(dir, [2776], 's1'));
    const ok = spawnSync(process.execPath, [BIN, 'check', '--config', good], { encoding: 'utf8' });
    expect(ok.status).toBe(0);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, yaml(dir, [2776], 'nowhere').replace('port: 0 }\npartners', 'port: -1 }\npartners'));
    const r = spawnSync(process.execPath, [BIN, 'check', '--config', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => l.startsWith('routes[0].targets[0]:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('smppServer.port:'))).toBe(true);

    const start = spawnSync(process.execPath, [BIN, 'start', '--config', bad], { encoding: 'utf8', timeout: 15000 });
    expect(start.status).toBe(1);
  });

  it('serves /health /ready /metrics, refuses a bad reload keeping the old config, and SIGHUP reloads a route without dropping binds', async () => {
    for (let i = 0; i < 2; i++) {
      sims.push(await startSmppSimulator({ port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.dlrAfter(10, 'delivered') }));
    }
    const cfg = join(dir, 'gw.yaml');
    writeFileSync(cfg, yaml(dir, sims.map((s) => s.port), 's1'));
    const lines: string[] = [];
    const { child, match } = await spawnUntil(process.execPath, [BIN, 'start', '--config', cfg], /"message":"started"/, {
      cwd: ROOT,
      timeoutMs: 15000,
      onLine: (l) => lines.push(l),
    });
    children.push(child);
    const ports = (JSON.parse(match.input!) as { ports: { smpp: number; admin: number } }).ports;

    expect((await request(ports.admin, 'GET', '/health')).status).toBe(200);
    await until(() => sims.every((s) => s.stats.binds > 0), 5000, 'connector binds');
    const ready = await request(ports.admin, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, connectors: { s1: 1, s2: 1 } });
    const metrics = await request(ports.admin, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^tollgate_binds_up\{kind="connector",id="s1"\} 1$/m);

    const { partner } = await NpmPartner.bind(ports.smpp, 'acme', 'secret1');
    partners.push(partner);
    const send = async (text: string) =>
      (await partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: text })).command_status;
    expect(await send('one')).toBe(0);
    await until(() => sims[0]!.stats.submits === 1, 5000, 'submit at s1');
    expect((await request(ports.admin, 'GET', '/metrics')).body).toMatch(/^tollgate_accept_seconds_count\{partner="acme"\} 1$/m);

    // a broken file: refused, the running config stays
    writeFileSync(cfg, yaml(dir, sims.map((s) => s.port), 'nowhere'));
    const refused = await request(ports.admin, 'POST', '/admin/reload');
    expect(refused.status).toBe(400);
    expect((JSON.parse(refused.body) as { issues: string[] }).issues.some((i) => i.startsWith('routes[0].targets[0]'))).toBe(true);
    expect(await send('two')).toBe(0);
    await until(() => sims[0]!.stats.submits === 2, 5000, 'still s1');

    // a good file and SIGHUP: the route moves to s2, the partner bind stays up
    writeFileSync(cfg, yaml(dir, sims.map((s) => s.port), 's2'));
    const reloadsBefore = lines.filter((l) => l.includes('configuration reloaded')).length;
    child.kill('SIGHUP');
    await until(() => lines.filter((l) => l.includes('configuration reloaded')).length > reloadsBefore, 5000, 'reload');
    expect(await send('three')).toBe(0);
    await until(() => sims[1]!.stats.submits === 1, 5000, 'submit at s2');
    expect(partner.closed).toBe(false);
    expect(sims[0]!.stats.submits).toBe(2);

    await partner.close();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 20000);
});
