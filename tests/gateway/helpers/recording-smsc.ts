import { Tlv } from '../../../protocols/smpp/constants';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { formatReceiptText } from '../../../protocols/smpp/receipt-text';
import { SmppServer } from '../../../protocols/smpp/server';
import type { SmppSession } from '../../../protocols/smpp/session';

interface PendingReceipt {
  pdu: DeliverSm;
  sending: boolean;
}

/**
 * An SMSC for durability tests: counts every submit_sm by its text, answers with a fresh id, and sends a DELIVRD
 * receipt after `receiptDelayMs`. Like a real SMSC it keeps a receipt until the ESME acknowledges it, and redelivers
 * unacknowledged receipts when a bind comes back (so a gateway killed mid-traffic still gets them after restart).
 */
export class RecordingSmsc {
  readonly byText = new Map<string, number>();
  private readonly pending = new Map<string, PendingReceipt>();
  private readonly server: SmppServer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private next = 0x1000;
  private closing = false;
  port = 0;

  constructor(private readonly receiptDelayMs = 20) {
    this.server = new SmppServer({
      port: 0,
      host: '127.0.0.1',
      auth: (req) => (req.systemId === 'gw' && req.password === 'gwpass' ? { ok: true } : { ok: false, status: 0x0e }),
      sessionOptions: { enquireLinkIntervalMs: 0, windowSize: 2000 },
    });
    this.server.sessions$.subscribe((s) => this.attach(s));
  }

  async listen(): Promise<number> {
    this.port = (await this.server.listen()).port;
    return this.port;
  }

  get submits(): number {
    let n = 0;
    for (const v of this.byText.values()) n += v;
    return n;
  }

  get unacknowledgedReceipts(): number {
    return this.pending.size;
  }

  private attach(s: SmppSession): void {
    s.events$.subscribe((e) => {
      // A moment after the bind: the ESME may not have processed its bind_resp yet when the next frame arrives.
      if (e.type === 'bound') this.later(() => this.pending.forEach((_, id) => this.deliver(id)), 50);
    });
    s.requests$.subscribe((req) => {
      const pdu = req.pdu;
      if (pdu.command !== 'submit_sm') return;
      const text = pdu.shortMessage.toString('latin1');
      this.byText.set(text, (this.byText.get(text) ?? 0) + 1);
      const id = (this.next++).toString(16);
      req.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber, messageId: id });
      const receipt: DeliverSm = {
        command: 'deliver_sm',
        commandStatus: 0,
        sequenceNumber: 0,
        serviceType: '',
        sourceAddrTon: pdu.destAddrTon,
        sourceAddrNpi: pdu.destAddrNpi,
        sourceAddr: pdu.destinationAddr,
        destAddrTon: pdu.sourceAddrTon,
        destAddrNpi: pdu.sourceAddrNpi,
        destinationAddr: pdu.sourceAddr,
        esmClass: 0x04,
        protocolId: 0,
        priorityFlag: 0,
        scheduleDeliveryTime: '',
        validityPeriod: '',
        registeredDelivery: 0,
        replaceIfPresentFlag: 0,
        dataCoding: 0,
        smDefaultMsgId: 0,
        shortMessage: Buffer.from(formatReceiptText({ id, stat: 'DELIVRD', err: '000', text: '' }), 'latin1'),
        tlvs: [
          { tag: Tlv.receipted_message_id, value: Buffer.from(id + '\0', 'latin1') },
          { tag: Tlv.message_state, value: Buffer.from([2]) },
        ],
      };
      this.pending.set(id, { pdu: receipt, sending: false });
      this.later(() => this.deliver(id), this.receiptDelayMs);
    });
  }

  private deliver(id: string): void {
    const p = this.pending.get(id);
    if (!p || p.sending) return;
    const target = [...this.server.sessions].find((s) => (s.state === 'bound_trx' || s.state === 'bound_rx') && s.canSend);
    if (!target) return; // redelivered on the next bind
    p.sending = true;
    target.send(p.pdu).then(
      () => this.pending.delete(id),
      () => {
        // Refused or link lost: like a real SMSC, try again later.
        p.sending = false;
        this.later(() => this.deliver(id), 200);
      },
    );
  }

  private later(fn: () => void, ms: number): void {
    if (this.closing) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.server.close();
  }
}
