/**
 * SMPP codec throughput: our codec against the npm `smpp` package (0.5.1) on the same PDUs in the same run.
 * Usage: npm run bench:codec [-- --json] [-- --ms=400]
 * Bounded: each case runs warm-up plus at most `ms` milliseconds (default 400) and at most 5M operations.
 */
import os from 'node:os';
import { decodePdu, encodePdu } from '../protocols/smpp/codec';
import type { DeliverSm, SubmitSm } from '../protocols/smpp/pdu';
import { npmSmpp } from './lib/npm-smpp';
import { benchSubmitSm } from './lib/smpp-submit';

const smpp = npmSmpp;

const args = process.argv.slice(2);
const json = args.includes('--json');
const msArg = args.find((a) => a.startsWith('--ms='));
const budgetMs = msArg ? Math.max(50, Math.min(5000, Number(msArg.slice(5)) || 400)) : 400;
const MAX_OPS = 5_000_000;

const text = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(4).slice(0, 160), 'latin1');

const submit: SubmitSm = benchSubmitSm({ sequenceNumber: 42, sourceAddr: 'ACME', registeredDelivery: 1, shortMessage: text });
const deliver: DeliverSm = { ...submit, command: 'deliver_sm', sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '447700900123', destAddrTon: 5, destAddrNpi: 0, destinationAddr: 'ACME' };

function theirOptions(p: SubmitSm | DeliverSm): Record<string, unknown> {
  return {
    sequence_number: p.sequenceNumber,
    service_type: p.serviceType,
    source_addr_ton: p.sourceAddrTon,
    source_addr_npi: p.sourceAddrNpi,
    source_addr: p.sourceAddr,
    dest_addr_ton: p.destAddrTon,
    dest_addr_npi: p.destAddrNpi,
    destination_addr: p.destinationAddr,
    esm_class: p.esmClass,
    protocol_id: p.protocolId,
    priority_flag: p.priorityFlag,
    schedule_delivery_time: p.scheduleDeliveryTime,
    validity_period: p.validityPeriod,
    registered_delivery: p.registeredDelivery,
    replace_if_present_flag: p.replaceIfPresentFlag,
    data_coding: p.dataCoding,
    sm_default_msg_id: p.smDefaultMsgId,
    short_message: p.shortMessage,
  };
}

let sink = 0;

/** Operations per second of `fn`, after a warm-up, within the time budget. */
function measure(fn: () => number): number {
  for (let i = 0; i < 20_000; i++) sink ^= fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(budgetMs) * 1_000_000n;
  let now = start;
  while (now < deadline && ops < MAX_OPS) {
    for (let i = 0; i < 1000; i++) sink ^= fn();
    ops += 1000;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

interface Row {
  pdu: string;
  op: string;
  ours: number;
  theirs: number;
  ratio: number;
}

const rows: Row[] = [];
for (const pdu of [submit, deliver]) {
  const ourBytes = encodePdu(pdu);
  const theirBytes = new smpp.PDU(pdu.command, theirOptions(pdu)).toBuffer();
  if (!ourBytes.equals(theirBytes)) {
    console.error(`warning: ${pdu.command} bytes differ\n ours   ${ourBytes.toString('hex')}\n theirs ${theirBytes.toString('hex')}`);
  }
  const opts = theirOptions(pdu);
  const encOurs = measure(() => encodePdu(pdu).length);
  const encTheirs = measure(() => new smpp.PDU(pdu.command, opts).toBuffer().length);
  rows.push({ pdu: pdu.command, op: 'encode', ours: encOurs, theirs: encTheirs, ratio: encOurs / encTheirs });
  const decOurs = measure(() => (decodePdu(ourBytes).ok ? 1 : 0));
  const decTheirs = measure(() => (smpp.PDU.fromBuffer(ourBytes) ? 1 : 0));
  rows.push({ pdu: pdu.command, op: 'decode', ours: decOurs, theirs: decTheirs, ratio: decOurs / decTheirs });
}

const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}; ${text.length}-octet short_message, ${budgetMs} ms per case`);
console.log('pdu         op       ours ops/s   smpp@0.5.1 ops/s   ratio');
for (const r of rows) {
  console.log(
    `${r.pdu.padEnd(11)} ${r.op.padEnd(7)} ${Math.round(r.ours).toLocaleString('en').padStart(12)}   ${Math.round(r.theirs)
      .toLocaleString('en')
      .padStart(16)}   ${r.ratio.toFixed(1).padStart(5)}x`,
  );
}
if (sink === 0.5) console.log('unreachable');
if (json) {
  const out: Record<string, unknown> = { machine: { cpu, cores: os.cpus().length, node: process.version }, budgetMs };
  for (const r of rows) {
    out[`${r.pdu}_${r.op}_ours_per_s`] = Math.round(r.ours);
    out[`${r.pdu}_${r.op}_theirs_per_s`] = Math.round(r.theirs);
    out[`${r.pdu}_${r.op}_ratio`] = Number(r.ratio.toFixed(2));
  }
  console.log(JSON.stringify(out));
}
