import { decodePacket, encodePacket } from '../../../protocols/cimd2/codec';
import { Cimd2Framer } from '../../../protocols/cimd2/framing';
import type { Cimd2Packet } from '../../../protocols/cimd2/packet';
import { memoryPair, type MemoryTransport } from '../../../protocols/transport/memory';

/** Lets queued microtasks and immediates (memory transport delivery, promise chains) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export function cimd2Pair(): [MemoryTransport, MemoryTransport] {
  return memoryPair(() => new Cimd2Framer());
}

/** A hand-driven peer: records every packet it receives and writes whatever the test gives it. */
export class RawPeer {
  readonly got: Cimd2Packet[] = [];
  readonly raw: Buffer[] = [];
  constructor(readonly transport: MemoryTransport) {
    transport.frames$.subscribe({
      next: (f) => {
        this.raw.push(Buffer.from(f));
        const r = decodePacket(f);
        if (r.ok) this.got.push(r.pdu);
      },
      error: () => undefined,
    });
  }

  send(pkt: Cimd2Packet, checksum = true): void {
    this.transport.send(encodePacket(pkt, { checksum, validate: false }));
  }

  sendText(s: string): void {
    this.transport.send(Buffer.from(s.replace(/<STX>/g, '\x02').replace(/<TAB>/g, '\t').replace(/<ETX>/g, '\x03'), 'latin1'));
  }

  last(): Cimd2Packet | undefined {
    return this.got[this.got.length - 1];
  }

  ops(): number[] {
    return this.got.map((p) => p.opCode);
  }
}
