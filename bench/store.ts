/**
 * Store benchmark (a script, not a test): the write pattern of one MT message through the gateway, against
 * SqliteMessageStore in a temp dir, with N messages and C of them in flight at once:
 *   insert (routed) -> updatePart (submitted, SMSC id) -> recordReceipt (final, owed to the partner) -> receiptForwarded
 * i.e. 4 write calls per message, the ones the daemon makes (see lifecycle). Prints messages/s and write calls/s per configuration, the group-commit batch
 * sizes and the share of wall time spent inside commits.
 *
 * Then a paced run: messages offered at --rate per second (default 20,000) for the same N, reporting the latency
 * from insert() to its durable resolve (what a partner waits for before its submit_sm_resp) and the CPU the
 * process used per second of wall time.
 *
 *   npx tsx bench/store.ts [--n 200000] [--concurrency 2000] [--rate 20000] [--paced-only] [--quick] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMessageStore } from '../gateway/store/sqlite/sqlite-store';
import type { Message } from '../routing/message';
import { flagValue, hasFlag, percentile, printJsonLast, printMachine, printTable } from './lib/report';

interface Scenario {
  name: string;
  synchronous: 'FULL' | 'NORMAL';
  maxDelayMs: number;
  maxBatch: number;
}

const WRITES_PER_MESSAGE = 4;
const quick = hasFlag('quick');
const N = Number(flagValue('n') ?? (quick ? 20_000 : 200_000));
const C = Number(flagValue('concurrency') ?? 2000);
const RATE = Number(flagValue('rate') ?? 20_000);
const BODY = Buffer.from('Hello from the store benchmark: a typical 60-byte text message.');

function message(id: string, now: number): Message {
  return {
    id,
    direction: 'mt',
    partnerId: 'demo',
    source: { addr: 'Tollgate', ton: 5, npi: 0 },
    destination: { addr: '41790000000', ton: 1, npi: 1 },
    dataCoding: 0,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 1,
    body: BODY,
    parts: [{ seq: 1, body: BODY, udhi: false, state: 'routed' }],
    state: 'routed',
    connectorId: 'sim',
    routeId: 'all',
    createdAt: now,
    updatedAt: now,
    validUntil: now + 48 * 3600_000,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
}

/**
 * One MT as the gateway writes it: stored routed, the SMSC id written at submit_sm_resp, the final receipt (owed to
 * the partner) and its forwarding. Three messages in five get their receipt in the same turn as the SMSC id, as
 * SMSCs that answer at once do; the store then folds the SMSC id write into the receipt's UPDATE.
 */
async function lifecycle(store: SqliteMessageStore, i: number, ackMs?: Float64Array): Promise<void> {
  const now = Date.now();
  const id = store.nextId();
  const m = message(id, now);
  const t0 = performance.now();
  await store.insert(m);
  if (ackMs) ackMs[i] = performance.now() - t0;
  const smscId = (0x10000000 + i).toString(16);
  const smscWrite = store.updatePart(id, 1, { state: 'submitted', smscMessageId: smscId, connectorId: 'sim' });
  if (i % 5 >= 3) await smscWrite;
  const receipt = store.recordReceipt(
    { messageId: id, partSeq: 1, outcome: 'delivered', final: true, receivedAt: now },
    {
      messageId: id,
      partnerId: 'demo',
      source: m.source,
      destination: m.destination,
      outcome: 'delivered',
      submittedAt: now,
      doneAt: now,
    },
  );
  await Promise.all([smscWrite, receipt]);
  await store.receiptForwarded(id);
}

async function run(s: Scenario): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-store-'));
  const store = new SqliteMessageStore({
    path: join(dir, 'bench.sqlite'),
    synchronous: s.synchronous,
    groupCommitMaxDelayMs: s.maxDelayMs,
    groupCommitMaxBatch: s.maxBatch,
  });
  try {
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < N) await lifecycle(store, next++);
    };
    await Promise.all(Array.from({ length: Math.min(C, N) }, worker));
    const secs = (performance.now() - started) / 1000;
    const cs = store.commitStats();
    const st = store.stats();
    if (st.unfinished !== 0) throw new Error(`bench: ${st.unfinished} messages left unfinished`);
    return {
      scenario: s.name,
      synchronous: s.synchronous,
      maxDelayMs: s.maxDelayMs,
      'msg/s': Math.round(N / secs),
      'writes/s': Math.round((N * WRITES_PER_MESSAGE) / secs),
      commits: cs.transactions,
      'avg batch': Math.round(cs.ops / Math.max(1, cs.transactions)),
      'max batch': cs.maxBatch,
      'commit ms/s': Math.round(cs.commitMs / secs),
      seconds: Number(secs.toFixed(2)),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Offers RATE messages per second (topped up every turn), each running the whole lifecycle. */
async function paced(maxDelayMs: number): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-store-'));
  const store = new SqliteMessageStore({
    path: join(dir, 'bench.sqlite'),
    synchronous: 'FULL',
    groupCommitMaxDelayMs: maxDelayMs,
    groupCommitMaxBatch: 2000,
  });
  const ackMs = new Float64Array(N);
  try {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    let issued = 0;
    const inflight: Promise<void>[] = [];
    for (let guard = 0; issued < N && guard < 100_000_000; guard++) {
      const due = Math.min(N, Math.floor(((performance.now() - started) / 1000) * RATE));
      while (issued < due) inflight.push(lifecycle(store, issued++, ackMs));
      await new Promise<void>((r) => setImmediate(r));
    }
    await Promise.all(inflight);
    const secs = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cs = store.commitStats();
    const sorted = ackMs.slice().sort();
    return {
      scenario: `paced ${RATE}/s, FULL`,
      maxDelayMs,
      'msg/s': Math.round(N / secs),
      'ack p50 ms': percentile(Array.from(sorted), 50),
      'ack p99 ms': percentile(Array.from(sorted), 99),
      'ack max ms': sorted[sorted.length - 1]!,
      'cpu %': Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 100),
      commits: cs.transactions,
      'avg batch': Math.round(cs.ops / Math.max(1, cs.transactions)),
      syncs: cs.syncs,
      'avg sync ms': cs.syncMs / Math.max(1, cs.syncs),
      'commit ms/s': Math.round(cs.commitMs / secs),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  printMachine();
  process.stdout.write(`messages: ${N}, in flight: ${C}, write calls per message: ${WRITES_PER_MESSAGE}\n\n`);
  const scenarios: Scenario[] = [
    { name: 'durable, per turn', synchronous: 'FULL', maxDelayMs: 0, maxBatch: 2000 },
    { name: 'durable, 2 ms', synchronous: 'FULL', maxDelayMs: 2, maxBatch: 2000 },
    { name: 'normal, per turn', synchronous: 'NORMAL', maxDelayMs: 0, maxBatch: 2000 },
  ];
  const rows: Record<string, string | number>[] = [];
  if (!hasFlag('paced-only')) for (const s of scenarios) rows.push(await run(s));
  printTable(rows);
  process.stdout.write('\n');
  const pacedRows = [await paced(0), await paced(2)];
  printTable(pacedRows);
  const durable = rows[0] ?? {};
  if (hasFlag('json')) {
    printJsonLast({
      bench: 'store',
      messages: N,
      concurrency: C,
      msg_per_s: durable['msg/s'],
      writes_per_s: durable['writes/s'],
      paced: pacedRows,
      scenarios: rows,
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
