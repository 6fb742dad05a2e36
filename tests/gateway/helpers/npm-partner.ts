import { npmSmpp } from '../../../bench/lib/npm-smpp';
import type { NpmPdu, NpmSession } from '../../../bench/lib/npm-smpp';

export type BindKind = 'transceiver' | 'transmitter' | 'receiver';

/**
 * A partner ESME built on the npm `smpp` package (an independent implementation): binds, submits, and collects the
 * deliver_sm receipts the gateway sends, answering each with deliver_sm_resp.
 */
export class NpmPartner {
  readonly receipts: NpmPdu[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  closed = false;

  private constructor(readonly session: NpmSession) {
    session.on('deliver_sm', (pdu: NpmPdu) => {
      session.send(pdu.response());
      this.receipts.push(pdu);
      this.waiters = this.waiters.filter((w) => {
        if (this.receipts.length >= w.n) {
          w.resolve();
          return false;
        }
        return true;
      });
    });
    session.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(port: number): Promise<NpmPartner> {
    const s = npmSmpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('error', reject);
    });
    return new NpmPartner(s);
  }

  /** Connects and binds; resolves with the bind_resp status (the connection stays open even when refused). */
  static async bind(port: number, systemId: string, password: string, kind: BindKind = 'transceiver'): Promise<{ partner: NpmPartner; status: number }> {
    const p = await NpmPartner.connect(port);
    const resp = await new Promise<NpmPdu>((resolve) => {
      const opts = { system_id: systemId, password, interface_version: 0x34 };
      if (kind === 'transceiver') p.session.bind_transceiver(opts, resolve);
      else if (kind === 'transmitter') p.session.bind_transmitter(opts, resolve);
      else (p.session as unknown as { bind_receiver: (o: unknown, cb: (pdu: NpmPdu) => void) => void }).bind_receiver(opts, resolve);
    });
    return { partner: p, status: resp.command_status };
  }

  submit(opts: Record<string, unknown>): Promise<NpmPdu> {
    return new Promise((resolve) => this.session.submit_sm({ registered_delivery: 1, ...opts }, resolve));
  }

  send(command: string, opts: Record<string, unknown>): Promise<NpmPdu> {
    const pdu = new npmSmpp.PDU(command, opts);
    return new Promise((resolve) => this.session.send(pdu, resolve));
  }

  /** Resolves when `n` receipts have arrived, or rejects after `ms`. */
  waitReceipts(n: number, ms = 8000): Promise<void> {
    if (this.receipts.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${this.receipts.length}/${n} receipts`)), ms);
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  /** The receipted_message_id of each receipt (the npm package decodes the TLV by name). */
  receiptIds(): string[] {
    return this.receipts.map((r) => String(r['receipted_message_id'] ?? '').replace(/\0+$/, ''));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.session.destroy();
        resolve();
      }, 2000);
      this.session.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      try {
        this.session.unbind({}, () => this.session.close());
      } catch {
        this.session.destroy();
      }
    });
  }
}
