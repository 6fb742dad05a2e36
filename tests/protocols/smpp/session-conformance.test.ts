import { acceptOutbind, bindClient } from '../../../protocols/smpp/client-session';
import { CommandId, CommandStatus } from '../../../protocols/smpp/constants';
import { SmppFramer } from '../../../protocols/smpp/framing';
import { acceptServerSession } from '../../../protocols/smpp/server-session';
import type { SmppInboundRequest } from '../../../protocols/smpp/session';
import { UnexpectedResponseError } from '../../../protocols/smpp/unexpected-response-error';
import { memoryPair } from '../../../protocols/transport/memory';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, FrameError, PduDecodeError, RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import { auth, boundPair, deliverSm, header, quiet, raw, record, settle, submitSm, writtenPdus } from './session-harness';

/** smpp.md section 11 rules, one test each, on both roles where they apply. */

function openServer() {
  const clock = new FakeClock();
  const [a, b] = memoryPair(() => new SmppFramer());
  const server = acceptServerSession(b, auth, { clock, ...quiet, bindTimeoutMs: 0 });
  return { clock, a, b, server, events: record(server) };
}

describe('SMPP session: bad command_length', () => {
  it.each([
    ['ESME', 'client' as const],
    ['SMSC', 'server' as const],
  ])('%s answers generic_nack ESME_RINVCMDLEN with the sequence number, fails in-flight requests, closes', async (_n, side) => {
    const p = await boundPair();
    const me = side === 'client' ? p.client : p.server;
    const mine = side === 'client' ? p.a : p.b;
    const theirs = side === 'client' ? p.b : p.a;
    const pending = (side === 'client' ? p.client.send(submitSm()) : p.server.send(deliverSm())).catch((e: unknown) => e);
    await settle();
    const before = mine.written.length;
    theirs.send(Buffer.concat([header(8, 0x00000004, 0, 0x1234), Buffer.from('00000010000000150000000000000009', 'hex')]));
    await settle();
    const sent = writtenPdus(mine).slice(-1);
    expect(mine.written.length).toBe(before + 1);
    expect(sent).toEqual([{ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDLEN, sequenceNumber: 0x1234 }]);
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    const reason = await me.closed;
    expect(reason.kind).toBe('frame_error');
    expect(reason.kind === 'frame_error' && reason.error).toBeInstanceOf(FrameError);
  });

  it('a huge command_length before bind is answered the same way on an SMSC session', async () => {
    const s = openServer();
    s.a.send(header(0xffffffff, CommandId.bind_transceiver, 0, 1));
    await settle();
    expect(writtenPdus(s.b)).toEqual([{ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDLEN, sequenceNumber: 1 }]);
    expect((await s.server.closed).kind).toBe('frame_error');
  });
});

describe('SMPP session: responses are matched by sequence number and command id', () => {
  it('a deliver_sm_resp arriving for our submit_sm sequence rejects the submit with UnexpectedResponseError', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const pending = p.client.send(submitSm()).catch((e: unknown) => e);
    await settle();
    const seq = reqs[0]!.pdu.sequenceNumber;
    p.b.send(raw({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: seq, messageId: '' }));
    const err = await pending;
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toBeInstanceOf(PduDecodeError);
    expect(err).toMatchObject({ status: CommandStatus.ESME_RINVCMDID, expected: CommandId.submit_sm_resp, received: CommandId.deliver_sm_resp });
    expect(p.client.inFlight).toBe(0);
    expect(p.client.stats.unexpectedResponses).toBe(1);
    // the right response arriving later is only a late response now
    reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'x' });
    await settle();
    expect(p.client.stats.unexpectedResponses).toBe(2);
    expect(p.client.state).toBe('bound_trx');
    await p.client.close();
  });

  it('the matching response still resolves, and generic_nack for any request rejects with RemoteError', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const ok = p.client.send(submitSm());
    const nacked = p.client.send(submitSm()).catch((e: unknown) => e);
    await settle();
    reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'm1' });
    p.b.send(raw({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RSYSERR, sequenceNumber: reqs[1]!.pdu.sequenceNumber }));
    await expect(ok).resolves.toMatchObject({ command: 'submit_sm_resp', messageId: 'm1' });
    const e = await nacked;
    expect(e).toBeInstanceOf(RemoteError);
    expect(e).toMatchObject({ status: CommandStatus.ESME_RSYSERR });
    await p.client.close();
  });

  it('generic_nack with sequence 0 is not answered and fails nothing', async () => {
    const p = await boundPair();
    const pending = p.client.send(submitSm());
    await settle();
    const before = p.a.written.length;
    p.b.send(raw({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDLEN, sequenceNumber: 0 }));
    await settle();
    expect(p.a.written.length).toBe(before);
    expect(p.client.inFlight).toBe(1);
    expect(p.clientEvents).toContainEqual({ type: 'unexpectedResponse', command: 'generic_nack', sequenceNumber: 0, commandStatus: 2 });
    p.a.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('SMPP session: requests before the first subscriber', () => {
  it('are held for the first subscriber only', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    const server = acceptServerSession(b, auth, { clock, ...quiet, bindTimeoutMs: 0 });
    const client = await bindClient(a, { systemId: 'esme1', password: 'secret', bindType: 'transceiver' }, { clock, ...quiet });
    const sent = client.send(submitSm());
    await settle();
    const first: SmppInboundRequest[] = [];
    const second: SmppInboundRequest[] = [];
    server.requests$.subscribe((r) => first.push(r));
    server.requests$.subscribe((r) => second.push(r));
    expect(first.map((r) => r.pdu.command)).toEqual(['submit_sm']);
    expect(second).toEqual([]);
    first[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'early' });
    await expect(sent).resolves.toMatchObject({ messageId: 'early' });
    await client.close();
  });
});

describe('SMPP session: bind timer', () => {
  it('closes an SMSC session not bound in time, but never a bound one', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    const server = acceptServerSession(b, auth, { clock, ...quiet, bindTimeoutMs: 1000 });
    const client = await bindClient(a, { systemId: 'esme1', password: 'secret', bindType: 'transmitter' }, { clock, ...quiet });
    clock.advance(5000);
    await settle();
    expect(server.state).toBe('bound_tx');
    await client.close();
    const [c, d] = memoryPair(() => new SmppFramer());
    const idle = acceptServerSession(d, auth, { clock, ...quiet, bindTimeoutMs: 1000 });
    clock.advance(999);
    await settle();
    expect(idle.state).toBe('open');
    clock.advance(1);
    const reason = await idle.closed;
    expect(reason.kind === 'error' && reason.error).toBeInstanceOf(TimeoutError);
    expect(c.isOpen).toBe(false);
  });
});

describe('SMPP session: keep-alive', () => {
  it('a generic_nack answering our enquire_link counts as alive; silence after a probe does not', async () => {
    const p = await boundPair({ client: { enquireLinkIntervalMs: 1000, enquireLinkTimeoutMs: 500 } });
    p.server.muted = true; // we answer by hand
    p.clock.advance(1000);
    await settle();
    const probe = writtenPdus(p.a).filter((x) => x.command === 'enquire_link');
    expect(probe).toHaveLength(1);
    p.b.send(raw({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: probe[0]!.sequenceNumber }));
    await settle();
    p.clock.advance(500);
    await settle();
    expect(p.client.state).toBe('bound_trx');
    expect(p.clientEvents.filter((e) => e.type === 'unexpectedResponse')).toEqual([]);
    // next probe goes unanswered: the link is declared dead
    p.clock.advance(1000);
    await settle();
    p.clock.advance(500);
    await settle();
    await expect(p.client.closed).resolves.toEqual({ kind: 'keepalive_timeout' });
  });
});

describe('SMPP session: state rules (smpp.md section 11)', () => {
  it('enquire_link before bind is answered at once', async () => {
    const s = openServer();
    s.a.send(header(16, CommandId.enquire_link, 0, 5));
    await settle();
    expect(writtenPdus(s.b)).toEqual([{ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: 5 }]);
    expect(s.server.state).toBe('open');
    await s.server.close();
  });

  it('unbind in open state gets unbind_resp ESME_RINVBNDSTS and the session stays open', async () => {
    const s = openServer();
    s.a.send(header(16, CommandId.unbind, 0, 6));
    await settle();
    expect(writtenPdus(s.b)).toEqual([{ command: 'unbind_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 6 }]);
    expect(s.server.state).toBe('open');
    await s.server.close();
  });

  it('submit_sm before bind gets submit_sm_resp ESME_RINVBNDSTS', async () => {
    const s = openServer();
    s.a.send(raw(submitSm({ sequenceNumber: 3 })));
    await settle();
    expect(writtenPdus(s.b)).toEqual([{ command: 'submit_sm_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 3, messageId: '' }]);
    await s.server.close();
  });

  it('a bind while the SMSC session is unbinding gets ESME_RINVBNDSTS, not ESME_RALYBND', async () => {
    const p = await boundPair({ server: { unbindTimeoutMs: 1000 } });
    p.client.muted = true; // the ESME does not answer our unbind, so we stay in unbinding
    const closing = p.server.close();
    await settle();
    expect(p.server.state).toBe('unbinding');
    const bind = { command: 'bind_transmitter' as const, commandStatus: 0, sequenceNumber: 44, systemId: 'esme1', password: 'secret', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '' };
    p.a.send(raw(bind));
    await settle();
    expect(writtenPdus(p.b).find((x) => x.sequenceNumber === 44)).toEqual({ command: 'bind_transmitter_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 44, systemId: '' });
    p.clock.advance(1000);
    await closing;
  });

  it('a request carrying command_status != 0 is accepted as if 0 (lenient input)', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    p.a.send(raw(submitSm({ sequenceNumber: 9, commandStatus: 0x45 })));
    await settle();
    expect(reqs).toHaveLength(1);
    reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'a' });
    await settle();
    expect(writtenPdus(p.b).slice(-1)).toEqual([{ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 9, messageId: 'a' }]);
    await p.client.close();
  });

  it.each([0, 0x80000000, 0xffffffff])('a peer sequence number %d is echoed unchanged', async (seq) => {
    const p = await boundPair();
    p.a.send(header(16, CommandId.enquire_link, 0, seq));
    await settle();
    expect(writtenPdus(p.b).slice(-1)).toEqual([{ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: seq }]);
    await p.client.close();
  });

  it('two requests with the same sequence number in flight are each answered once', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    p.a.send(raw(submitSm({ sequenceNumber: 12 })));
    p.a.send(raw(submitSm({ sequenceNumber: 12 })));
    await settle();
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'b' })).toBe(true);
    expect(reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'a' })).toBe(true);
    expect(reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: 'again' })).toBe(false);
    await settle();
    expect(writtenPdus(p.b).filter((x) => x.sequenceNumber === 12).map((x) => 'messageId' in x && x.messageId)).toEqual(['b', 'a']);
    await p.client.close();
  });

  it('an ESME accepts a deliver_sm with a vendor esm_class type and non-empty times (lenient input)', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.client.requests$.subscribe((r) => reqs.push(r));
    const frame = raw(deliverSm({ sequenceNumber: 3 }));
    const esmAt = 16 + 1 + 2 + 13 + 2 + 5; // service_type '', ton/npi, '447700900123', ton/npi, '4477'
    expect(frame[esmAt]).toBe(0);
    frame[esmAt] = 0x3c;
    p.b.send(frame);
    await settle();
    expect(reqs.map((r) => r.pdu.command === 'deliver_sm' && r.pdu.esmClass)).toEqual([0x3c]);
    await p.client.close();
  });
});

describe('SMPP outbind', () => {
  function outbind(seq: number, systemId = 'SMSC', password = 'pw'): Buffer {
    return raw({ command: 'outbind', commandStatus: 0, sequenceNumber: seq, systemId, password });
  }

  it('an ESME waiting with acceptOutbind binds back as receiver with its credentials', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    const smsc = acceptServerSession(b, auth, { clock, ...quiet, bindTimeoutMs: 0 });
    const esme = acceptOutbind(a, { systemId: 'esme1', password: 'secret', expectSystemId: 'SMSC', expectPassword: 'pw' }, { clock, ...quiet });
    b.send(outbind(1));
    const s = await esme;
    expect(s.state).toBe('bound_rx');
    expect(smsc.state).toBe('bound_rx');
    expect(writtenPdus(a)[0]).toMatchObject({ command: 'bind_receiver', systemId: 'esme1', password: 'secret' });
    await s.close();
  });

  it('acceptOutbind refuses unexpected credentials with generic_nack ESME_RBINDFAIL and closes', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    const esme = acceptOutbind(a, { systemId: 'esme1', password: 'secret', expectPassword: 'pw' }, { clock, ...quiet }).catch((e: unknown) => e);
    b.send(outbind(4, 'SMSC', 'wrong'));
    const err = await esme;
    expect(err).toBeInstanceOf(PduDecodeError);
    expect(err).toMatchObject({ status: CommandStatus.ESME_RBINDFAIL });
    expect(writtenPdus(a)).toEqual([{ command: 'generic_nack', commandStatus: CommandStatus.ESME_RBINDFAIL, sequenceNumber: 4 }]);
  });

  it('acceptOutbind times out with TimeoutError when no outbind comes', async () => {
    const clock = new FakeClock();
    const [a] = memoryPair(() => new SmppFramer());
    const esme = acceptOutbind(a, { systemId: 'esme1', password: 'secret' }, { clock, ...quiet, bindTimeoutMs: 1000 }).catch((e: unknown) => e);
    clock.advance(1000);
    expect(await esme).toBeInstanceOf(TimeoutError);
  });

  it('an outbind to an SMSC session or to a bound ESME is refused with generic_nack ESME_RINVBNDSTS', async () => {
    const s = openServer();
    s.a.send(outbind(7));
    await settle();
    expect(writtenPdus(s.b)).toEqual([{ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 7 }]);
    await s.server.close();
    const p = await boundPair();
    p.b.send(outbind(8));
    await settle();
    expect(writtenPdus(p.a).slice(-1)).toEqual([{ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 8 }]);
    expect(p.client.state).toBe('bound_trx');
    await p.client.close();
  });

  it('a plain bindClient session does not bind on outbind', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    acceptServerSession(b, auth, { clock, ...quiet, bindTimeoutMs: 0 });
    const s = await bindClient(a, { systemId: 'esme1', password: 'secret', bindType: 'transmitter' }, { clock, ...quiet });
    expect(s.state).toBe('bound_tx');
    await s.close();
  });
});
