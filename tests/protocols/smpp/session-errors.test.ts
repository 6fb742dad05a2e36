import { CommandStatus } from '../../../protocols/smpp/constants';
import type { SmppInboundRequest } from '../../../protocols/smpp/session';
import { ConnectionClosedError, FrameError, PduDecodeError } from '../../../protocols/wire/errors';
import { boundPair, header, raw, settle, submitSm, writtenPdus } from './session-harness';

/** A submit_sm whose source_addr runs past its 21-octet limit without a NUL. */
function submitWithBadSource(seq: number): Buffer {
  const good = raw(submitSm({ sequenceNumber: seq, sourceAddr: 'A' }));
  // body: service_type '\0', ton, npi, then source_addr 'A\0': replace with 30 x 'A' and no NUL before the dest
  const body = Buffer.concat([good.subarray(16, 19), Buffer.alloc(30, 0x41), good.subarray(20)]);
  const frame = Buffer.concat([good.subarray(0, 16), body]);
  frame.writeUInt32BE(frame.length, 0);
  return frame;
}

describe('SMPP session: corrupt input', () => {
  it('a frame error fails in-flight requests and closes with frame_error', async () => {
    const p = await boundPair();
    const pending = p.client.send(submitSm()).catch((e: unknown) => e);
    await settle();
    p.b.send(header(8, 0x80000004, 0, 2));
    const err = await pending;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    const reason = await p.client.closed;
    expect(reason.kind).toBe('frame_error');
    expect(reason.kind === 'frame_error' && reason.error).toBeInstanceOf(FrameError);
    expect(p.client.state).toBe('closed');
  });

  it('a body error with a readable header is answered with its status and the session lives', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    p.a.send(submitWithBadSource(77));
    await settle();
    const answer = writtenPdus(p.b).find((x) => x.sequenceNumber === 77);
    expect(answer).toMatchObject({ command: 'submit_sm_resp', commandStatus: CommandStatus.ESME_RINVSRCADR });
    expect(reqs).toHaveLength(0);
    expect(p.serverEvents).toContainEqual(expect.objectContaining({ type: 'decodeError', status: CommandStatus.ESME_RINVSRCADR }));
    expect(p.server.state).toBe('bound_trx');
    // and the next good PDU goes through
    const next = p.client.send(submitSm());
    await settle();
    reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'ok' });
    await expect(next).resolves.toMatchObject({ messageId: 'ok' });
    await p.client.close();
  });

  it('an unknown command id gets generic_nack ESME_RINVCMDID with its sequence number; the session lives', async () => {
    const p = await boundPair();
    p.a.send(header(16, 0x00000999, 0, 31));
    p.a.send(raw({ command: 'enquire_link', commandStatus: 0, sequenceNumber: 32 }));
    await settle();
    const out = writtenPdus(p.b).slice(-2);
    expect(out[0]).toEqual({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDID, sequenceNumber: 31 });
    expect(out[1]).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 32 });
    expect(p.server.state).toBe('bound_trx');
    await p.client.close();
  });

  it('an unreadable response fails its request at once (not at the timeout) and is nacked', async () => {
    const p = await boundPair();
    p.server.muted = true;
    const pending = p.client.send(submitSm()).catch((e: unknown) => e);
    await settle();
    // submit_sm_resp for seq 2 whose message_id has no NUL within 65 octets
    const bad = Buffer.concat([header(16 + 70, 0x80000004, 0, 2), Buffer.alloc(70, 0x41)]);
    p.b.send(bad);
    const err = await pending;
    expect(err).toBeInstanceOf(PduDecodeError);
    expect((err as PduDecodeError<number>).status).not.toBe(0);
    const nack = writtenPdus(p.a).find((x) => x.command === 'generic_nack');
    expect(nack).toMatchObject({ sequenceNumber: 2 });
    expect(p.client.state).toBe('bound_trx');
    expect(p.client.inFlight).toBe(0);
    p.a.destroy();
    await p.client.closed;
  });

  it('never answers a generic_nack, even an unreadable one', async () => {
    const p = await boundPair();
    const before = p.b.written.length;
    p.a.send(header(16, 0x80000000, CommandStatus.ESME_RINVCMDID, 99));
    p.a.send(Buffer.concat([header(20, 0x80000000, 0, 100), Buffer.alloc(4)]));
    await settle();
    expect(p.b.written.length).toBe(before);
    expect(p.server.state).toBe('bound_trx');
    await p.client.close();
  });
});
