import { CommandStatus, Tlv } from '../../../protocols/smpp/constants';
import type { SmppInboundRequest, SmppResponsePdu } from '../../../protocols/smpp/session';
import {
  ConnectionClosedError,
  RemoteError,
  SessionStateError,
  TimeoutError,
  WindowFullError,
} from '../../../protocols/wire/errors';
import { boundPair, deliverSm, settle, submitSm, writtenPdus } from './session-harness';

function ok(req: SmppInboundRequest, messageId: string): boolean {
  return req.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId });
}

describe('SMPP session: requests and responses', () => {
  it('numbers requests 1, 2, 3 and matches responses by sequence number, in any order', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const results = [p.client.send(submitSm()), p.client.send(submitSm()), p.client.send(submitSm())];
    await settle();
    // bind took sequence 1
    expect(reqs.map((r) => r.pdu.sequenceNumber)).toEqual([2, 3, 4]);
    ok(reqs[2]!, 'c');
    ok(reqs[0]!, 'a');
    ok(reqs[1]!, 'b');
    const resps = await Promise.all(results);
    expect(resps.map((r) => (r.command === 'submit_sm_resp' ? r.messageId : '?'))).toEqual(['a', 'b', 'c']);
    expect(p.client.inFlight).toBe(0);
    await p.client.close();
  });

  it('does not modify the PDU passed to send()', async () => {
    const p = await boundPair();
    p.server.requests$.subscribe((r) => ok(r, 'x'));
    const pdu = submitSm({ sequenceNumber: 12345 });
    const copy = { ...pdu, shortMessage: Buffer.from(pdu.shortMessage) };
    await p.client.send(pdu);
    expect(pdu).toEqual(copy);
    await p.client.close();
  });

  it('wraps sequence numbers from 0x7FFFFFFF to 1, never 0', async () => {
    const p = await boundPair();
    const seen: number[] = [];
    p.server.requests$.subscribe((r) => {
      seen.push(r.pdu.sequenceNumber);
      ok(r, 'x');
    });
    (p.client as unknown as { seq: number }).seq = 0x7ffffffe;
    for (let i = 0; i < 3; i++) await p.client.send(submitSm());
    expect(seen).toEqual([0x7fffffff, 1, 2]);
    await p.client.close();
  });

  it('rejects with RemoteError(status) on an error response and on generic_nack', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const a = p.client.send(submitSm());
    const b = p.client.send(submitSm());
    await settle();
    reqs[0]!.respond({ command: 'submit_sm_resp', commandStatus: CommandStatus.ESME_RTHROTTLED, sequenceNumber: 0, messageId: '' });
    reqs[1]!.respond({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RSYSERR, sequenceNumber: 0 });
    await expect(a).rejects.toMatchObject({ constructor: RemoteError, status: CommandStatus.ESME_RTHROTTLED });
    await expect(b).rejects.toMatchObject({ constructor: RemoteError, status: CommandStatus.ESME_RSYSERR });
    expect(p.client.inFlight).toBe(0);
    await p.client.close();
  });

  it('passes a congestion_state TLV on a response through untouched', async () => {
    const p = await boundPair();
    p.server.requests$.subscribe((r) =>
      r.respond({
        command: 'submit_sm_resp',
        commandStatus: 0,
        sequenceNumber: 0,
        messageId: 'm1',
        tlvs: [{ tag: Tlv.congestion_state, value: Buffer.from([85]) }],
      }),
    );
    const resp = await p.client.send(submitSm());
    expect(resp.tlvs).toEqual([{ tag: Tlv.congestion_state, value: Buffer.from([85]) }]);
    await p.client.close();
  });

  it('raises WindowFullError at request N+1 and emits windowFull; a slot frees on response', async () => {
    const p = await boundPair({ client: { windowSize: 3 } });
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const inFlight = [p.client.send(submitSm()), p.client.send(submitSm()), p.client.send(submitSm())];
    expect(p.client.canSend).toBe(false);
    await expect(p.client.send(submitSm())).rejects.toBeInstanceOf(WindowFullError);
    expect(p.clientEvents).toContainEqual({ type: 'windowFull', inFlight: 3 });
    await settle();
    expect(reqs).toHaveLength(3);
    ok(reqs[0]!, 'a');
    await inFlight[0];
    const fourth = p.client.send(submitSm());
    await settle();
    ok(reqs[1]!, 'b');
    ok(reqs[2]!, 'c');
    ok(reqs[3]!, 'd');
    await expect(Promise.all([...inFlight, fourth])).resolves.toHaveLength(4);
    await p.client.close();
  });

  it('times out an unanswered request with TimeoutError, frees the slot, and reports the late response', async () => {
    const p = await boundPair({ client: { responseTimeoutMs: 5000 } });
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const short = p.client.send(submitSm(), { timeoutMs: 1000 });
    const long = p.client.send(submitSm());
    await settle();
    p.clock.advance(1000);
    await expect(short).rejects.toBeInstanceOf(TimeoutError);
    expect(p.client.inFlight).toBe(1);
    ok(reqs[0]!, 'late');
    await settle();
    expect(p.clientEvents).toContainEqual(expect.objectContaining({ type: 'unexpectedResponse', sequenceNumber: 2 }));
    expect(p.client.stats.unexpectedResponses).toBe(1);
    p.clock.advance(4000);
    await expect(long).rejects.toBeInstanceOf(TimeoutError);
    expect(p.client.inFlight).toBe(0);
    await p.client.close();
  });

  it('fails in-flight requests with ConnectionClosedError when the link drops', async () => {
    const p = await boundPair();
    const pending = p.client.send(submitSm());
    await settle();
    p.b.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(p.client.closed).resolves.toEqual({ kind: 'remote' });
    expect(p.client.state).toBe('closed');
  });
});

describe('SMPP session: keep-alive', () => {
  it('sends enquire_link only when idle and keeps a live peer bound', async () => {
    const p = await boundPair({ client: { enquireLinkIntervalMs: 1000, enquireLinkTimeoutMs: 500 } });
    const enquiries = () => writtenPdus(p.a).filter((x) => x.command === 'enquire_link').length;
    p.server.requests$.subscribe((r) => ok(r, 'x'));
    // Traffic in every interval: no keep-alive needed.
    for (let i = 0; i < 3; i++) {
      await p.client.send(submitSm());
      p.clock.advance(1000);
      await settle();
    }
    expect(enquiries()).toBe(0);
    // Idle: one enquire_link per interval, answered by the SMSC session itself.
    for (let i = 0; i < 4; i++) {
      p.clock.advance(1000);
      await settle();
    }
    expect(enquiries()).toBeGreaterThanOrEqual(2);
    expect(p.client.state).toBe('bound_trx');
    await p.client.close();
  });

  it('closes with keepalive_timeout when a dead peer (blackHole) stops answering', async () => {
    const p = await boundPair({ client: { enquireLinkIntervalMs: 1000, enquireLinkTimeoutMs: 500 } });
    p.server.muted = true;
    const pending = p.client.send(submitSm(), { timeoutMs: 60_000 }).catch((e: unknown) => e);
    await settle();
    for (let i = 0; i < 4 && p.client.state !== 'closed'; i++) {
      p.clock.advance(1000);
      await settle();
    }
    await expect(p.client.closed).resolves.toEqual({ kind: 'keepalive_timeout' });
    expect(p.clientEvents).toContainEqual({ type: 'keepaliveTimeout' });
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('SMPP session: unbind', () => {
  it('drains in-flight responses before sending unbind, then closes after unbind_resp', async () => {
    const p = await boundPair();
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const a = p.client.send(submitSm());
    const b = p.client.send(submitSm());
    await settle();
    const closing = p.client.close();
    await settle();
    const sentCommands = () => writtenPdus(p.a).map((x) => x.command);
    expect(sentCommands()).not.toContain('unbind');
    expect(p.client.state).toBe('bound_trx');
    await expect(p.client.send(submitSm())).rejects.toBeInstanceOf(SessionStateError);
    ok(reqs[0]!, 'a');
    await settle();
    expect(sentCommands()).not.toContain('unbind');
    ok(reqs[1]!, 'b');
    await expect(Promise.all([a, b])).resolves.toHaveLength(2);
    await closing;
    expect(sentCommands().slice(-1)).toEqual(['unbind']);
    expect(writtenPdus(p.b).map((x) => x.command).slice(-1)).toEqual(['unbind_resp']);
    await expect(p.client.closed).resolves.toEqual({ kind: 'local' });
    await expect(p.server.closed).resolves.toEqual({ kind: 'remote' });
  });

  it('bounds the drain by unbindTimeoutMs and fails what is left', async () => {
    const p = await boundPair({ client: { unbindTimeoutMs: 2000, responseTimeoutMs: 60_000 } });
    p.server.muted = true;
    const pending = p.client.send(submitSm());
    const closing = p.client.close();
    await settle();
    p.clock.advance(2000); // drain gives up
    await settle();
    expect(writtenPdus(p.a).map((x) => x.command)).toContain('unbind');
    p.clock.advance(2000); // no unbind_resp from the muted peer either
    await closing;
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(p.client.closed).resolves.toEqual({ kind: 'local' });
  });

  it('both sides unbinding at once agree: each answers the other unbind_resp OK', async () => {
    const p = await boundPair();
    await Promise.all([p.client.close(), p.server.close()]);
    const answers = [...writtenPdus(p.a), ...writtenPdus(p.b)].filter((x) => x.command === 'unbind_resp');
    expect(answers.map((x) => x.commandStatus)).toEqual([0, 0]);
    await expect(p.client.closed).resolves.toEqual({ kind: 'local' });
    await expect(p.server.closed).resolves.toEqual({ kind: 'local' });
  });

  it('answers unbind from the SMSC and closes with {kind:"remote"}', async () => {
    const p = await boundPair();
    await p.server.close();
    await expect(p.client.closed).resolves.toEqual({ kind: 'remote' });
    await expect(p.server.closed).resolves.toEqual({ kind: 'local' });
    expect(p.clientEvents).toContainEqual({ type: 'state', from: 'bound_trx', to: 'unbinding' });
  });
});

describe('SMPP session: inbound requests', () => {
  it('respond works once; a second call returns false and writes nothing', async () => {
    const p = await boundPair();
    let second: boolean | undefined;
    p.server.requests$.subscribe((r) => {
      ok(r, 'first');
      second = ok(r, 'second');
    });
    const resp: SmppResponsePdu = await p.client.send(submitSm());
    expect(resp).toMatchObject({ command: 'submit_sm_resp', messageId: 'first' });
    expect(second).toBe(false);
    expect(writtenPdus(p.b).filter((x) => x.command === 'submit_sm_resp')).toHaveLength(1);
    await p.client.close();
  });

  it('answers an unanswered submit_sm with ESME_RSYSERR after inboundTimeoutMs', async () => {
    const p = await boundPair({ server: { inboundTimeoutMs: 3000 } });
    let req: SmppInboundRequest | undefined;
    p.server.requests$.subscribe((r) => (req = r));
    const pending = p.client.send(submitSm());
    await settle();
    p.clock.advance(3000);
    await expect(pending).rejects.toMatchObject({ constructor: RemoteError, status: CommandStatus.ESME_RSYSERR });
    expect(ok(req!, 'too late')).toBe(false);
    await p.client.close();
  });

  it('answers an unanswered deliver_sm on the ESME side with ESME_RX_T_APPN (retry later)', async () => {
    const p = await boundPair({ client: { inboundTimeoutMs: 3000 } });
    p.client.requests$.subscribe(() => undefined);
    const pending = p.server.send(deliverSm());
    await settle();
    p.clock.advance(3000);
    await expect(pending).rejects.toMatchObject({ constructor: RemoteError, status: CommandStatus.ESME_RX_T_APPN });
    await p.client.close();
  });

  it('pauses reads above inboundPauseAt and resumes at inboundResumeAt', async () => {
    const p = await boundPair({ server: { inboundPauseAt: 3, inboundResumeAt: 1 } });
    const reqs: SmppInboundRequest[] = [];
    p.server.requests$.subscribe((r) => reqs.push(r));
    const sends = Array.from({ length: 5 }, () => p.client.send(submitSm()));
    await settle();
    expect(reqs).toHaveLength(3);
    expect(p.b.isPaused).toBe(true);
    expect(p.serverEvents).toContainEqual({ type: 'paused', inboundInFlight: 3 });
    ok(reqs[0]!, '1');
    await settle();
    expect(p.b.isPaused).toBe(true);
    expect(reqs).toHaveLength(3);
    ok(reqs[1]!, '2');
    expect(p.serverEvents).toContainEqual({ type: 'resumed', inboundInFlight: 1 });
    await settle();
    // Reads resumed: the two held-back submits arrive, which brings the count back to the pause mark.
    expect(reqs).toHaveLength(5);
    expect(p.b.isPaused).toBe(true);
    for (const r of reqs.slice(2)) ok(r, 'n');
    expect(p.b.isPaused).toBe(false);
    await expect(Promise.all(sends)).resolves.toHaveLength(5);
    await p.client.close();
  });
});
