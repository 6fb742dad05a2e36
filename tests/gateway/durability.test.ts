import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { exited, spawnUntil } from '../../bench/lib/child';
import { NpmPartner } from './helpers/npm-partner';
import { RecordingSmsc } from './helpers/recording-smsc';
import { until } from './helpers/gateway-harness';

const ROOT = resolve(__dirname, '../..');
const N = 400;

function yamlFor(dir: string, smscPort: number): string {
  return `node: { id: dur, dataDir: ${JSON.stringify(dir)} }
store: { synchronous: FULL, groupCommitMaxDelayMs: 0 }
admin: { host: 127.0.0.1, port: 0 }
log: { level: info }
smppServer: { host: 127.0.0.1, port: 0, windowSize: 100 }
partners:
  - id: acme
    smpp: { systemId: acme, password: secret1 }
connectors:
  - { id: smsc, protocol: smpp, host: 127.0.0.1, port: ${smscPort}, systemId: gw, password: gwpass,
      reconnectMinMs: 50, reconnectMaxMs: 200, responseTimeoutMs: 2000 }
routes:
  - { id: all, prefix: '', targets: [smsc] }
retry: { maxAttempts: 10, backoffMinMs: 50, backoffMaxMs: 500 }
`;
}

const gatewayProblems: string[] = [];

async function startGateway(cfg: string): Promise<{ child: ChildProcess; smpp: number }> {
  const { child, match } = await spawnUntil(process.execPath, [join(ROOT, 'bin/tollgate'), 'start', '--config', cfg], /"message":"started"/, {
    cwd: ROOT,
    timeoutMs: 15000,
    // Warnings and errors of the daemon are kept for the failure message.
    onLine: (l) => {
      if (!l.includes('"level":"info"') && gatewayProblems.length < 50) gatewayProblems.push(l);
    },
  });
  const ports = (JSON.parse(match.input!) as { ports: { smpp: number } }).ports;
  return { child, smpp: ports.smpp };
}

describe('durability: SIGKILL mid-traffic, restart, nothing acknowledged is lost', () => {
  let dir = '';
  let smsc: RecordingSmsc | undefined;
  const children: ChildProcess[] = [];
  const partners: NpmPartner[] = [];

  afterEach(async () => {
    await Promise.all(partners.splice(0).map((p) => p.close()));
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await exited(c);
    }
    await smsc?.close();
    smsc = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every acknowledged message reaches the SMSC and every receipt reaches the partner; duplicates are flagged', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-dur-'));
    smsc = new RecordingSmsc(20);
    const smscPort = await smsc.listen();
    const cfg = join(dir, 'gw.yaml');
    writeFileSync(cfg, yamlFor(dir, smscPort));

    const gw1 = await startGateway(cfg);
    children.push(gw1.child);
    const { partner: p1, status } = await NpmPartner.bind(gw1.smpp, 'acme', 'secret1');
    partners.push(p1);
    expect(status).toBe(0);

    const acked = new Map<string, string>(); // text -> our id
    let sent = 0;
    let killed = false;
    await new Promise<void>((done) => {
      let outstanding = 0;
      const pump = (): void => {
        while (!killed && sent < N && outstanding < 50) {
          const text = `dur-${sent++}`;
          outstanding++;
          p1.session.submit_sm({ source_addr: 'ACME', destination_addr: '447700900123', short_message: text, registered_delivery: 1 }, (pdu) => {
            outstanding--;
            if (pdu.command_status === 0) acked.set(text, String(pdu['message_id']));
            if (!killed && acked.size >= N / 2) {
              killed = true;
              gw1.child.kill('SIGKILL');
              done();
              return;
            }
            pump();
          });
        }
      };
      pump();
    });
    await exited(gw1.child);
    expect(acked.size).toBeGreaterThanOrEqual(N / 2);

    const gw2 = await startGateway(cfg);
    children.push(gw2.child);
    const { partner: p2 } = await NpmPartner.bind(gw2.smpp, 'acme', 'secret1');
    partners.push(p2);

    // live traffic while the restart resumes the backlog: sent once, never picked up again by the resume
    const live: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await p2.submit({ source_addr: 'ACME', destination_addr: '447700900123', short_message: `live-${i}` });
      if (r.command_status === 0) {
        live.push(`live-${i}`);
        acked.set(`live-${i}`, String(r['message_id']));
      }
    }
    expect(live).toHaveLength(30);
    await until(() => [...acked.keys()].every((t) => (smsc!.byText.get(t) ?? 0) > 0), 20000, 'every acknowledged message at the SMSC');
    for (const t of live) expect(smsc.byText.get(t)).toBe(1);
    const receipted = (): Set<string> => new Set([...p1.receiptIds(), ...p2.receiptIds()]);
    try {
      await until(() => [...acked.values()].every((id) => receipted().has(id)), 20000, 'every receipt at the partner');
    } catch (e) {
      const missing = [...acked.values()].filter((id) => !receipted().has(id));
      const db0 = new Database(join(dir, 'tollgate.sqlite'), { readonly: true });
      const rows = missing.slice(0, 5).map((id) => [db0.prepare('SELECT state, possible_duplicate, receipt_owed, part_state, smsc_id, smsc_connector_id, attempts FROM messages WHERE id = ?').get(Number(id)), db0.prepare('SELECT count(*) FROM owed_receipts WHERE message_id = ?').pluck().get(Number(id))]);
      db0.close();
      process.stdout.write(`missing ${missing.length}: ${JSON.stringify(rows)} smsc pending ${smsc!.unacknowledgedReceipts}\n${gatewayProblems.join('\n')}\n`);
      throw e;
    }

    await p2.close();
    gw2.child.kill('SIGTERM');
    expect(await exited(gw2.child)).toBe(0);

    const db = new Database(join(dir, 'tollgate.sqlite'), { readonly: true });
    const flag = db.prepare('SELECT possible_duplicate FROM messages WHERE id = ?').pluck();
    const duplicates = [...acked].filter(([text]) => (smsc!.byText.get(text) ?? 0) > 1);
    for (const [, id] of duplicates) expect(flag.get(Number(id))).toBe(1);
    const unfinished = db.prepare("SELECT count(*) FROM messages WHERE state NOT IN ('delivered','undeliverable','expired','rejected')").pluck().get();
    db.close();
    // At most what was in flight at the kill: the partner window plus the connector window.
    expect(duplicates.length).toBeLessThanOrEqual(150);
    expect(unfinished).toBe(0);
    process.stdout.write(`durability: acked ${acked.size}, duplicates at the SMSC ${duplicates.length}\n`);
  }, 90000);
});
