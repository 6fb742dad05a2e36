import { bindClient } from '../../../protocols/smpp/client-session';
import { CommandStatus, Tlv } from '../../../protocols/smpp/constants';
import { SmppFramer } from '../../../protocols/smpp/framing';
import { getTlv } from '../../../protocols/smpp/pdu';
import type { BindTransceiver, SmppPdu } from '../../../protocols/smpp/pdu';
import { acceptServerSession } from '../../../protocols/smpp/server-session';
import type { BindAuthenticator } from '../../../protocols/smpp/server-session';
import { memoryPair } from '../../../protocols/transport/memory';
import { FakeClock } from '../../../protocols/wire/clock';
import { RemoteError, SessionStateError, TimeoutError } from '../../../protocols/wire/errors';
import { auth, boundPair, deliverSm, goodBind, quiet, raw, record, settle, submitSm, writtenPdus } from './session-harness';

function bindPdu(over: Partial<BindTransceiver> = {}): BindTransceiver {
  return {
    command: 'bind_transceiver',
    commandStatus: 0,
    sequenceNumber: 1,
    systemId: 'esme1',
    password: 'secret',
    systemType: '',
    interfaceVersion: 0x34,
    addrTon: 0,
    addrNpi: 0,
    addressRange: '',
    ...over,
  };
}

/** An SMSC session with a raw peer we drive byte by byte. */
function rawClientAgainstServer(authFn: BindAuthenticator = auth) {
  const clock = new FakeClock();
  const [peer, b] = memoryPair(() => new SmppFramer());
  const server = acceptServerSession(b, authFn, { clock, ...quiet, bindTimeoutMs: 5000 });
  const events = record(server);
  const received = (): SmppPdu[] => writtenPdus(b);
  return { clock, peer, b, server, events, received };
}

describe('SMPP session: bind matrix', () => {
  it('binds with the right credentials on both sides', async () => {
    for (const bindType of ['transmitter', 'receiver', 'transceiver'] as const) {
      const p = await boundPair({ bind: { bindType } });
      const expected = bindType === 'transmitter' ? 'bound_tx' : bindType === 'receiver' ? 'bound_rx' : 'bound_trx';
      expect(p.client.state).toBe(expected);
      expect(p.server.state).toBe(expected);
      expect(p.server.peerSystemId).toBe('esme1');
      expect(p.client.peerSystemId).toBe('SMSC');
      expect(p.serverEvents).toContainEqual({ type: 'bound', systemId: 'esme1', state: expected });
      await p.client.close();
    }
  });

  it.each([
    ['wrong password', { password: 'nope' }, CommandStatus.ESME_RINVPASWD],
    ['wrong system_id', { systemId: 'other' }, CommandStatus.ESME_RINVSYSID],
  ])('refuses a %s with the auth status and closes both sides', async (_name, over, status) => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    const server = acceptServerSession(b, auth, { clock, ...quiet });
    const err = await bindClient(a, { ...goodBind, ...over }, { clock, ...quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).status).toBe(status);
    await expect(server.closed).resolves.toEqual({ kind: 'bind_failed', status });
    expect(a.isOpen).toBe(false);
    const resp = writtenPdus(b)[0]!;
    expect(resp.command).toBe('bind_transceiver_resp');
    expect(resp.commandStatus).toBe(status);
  });

  it('answers ESME_RBINDFAIL when the authenticator throws', async () => {
    const h = rawClientAgainstServer(() => Promise.reject(new Error('db down')));
    h.peer.send(raw(bindPdu()));
    await settle();
    expect(h.received()[0]).toMatchObject({ command: 'bind_transceiver_resp', commandStatus: CommandStatus.ESME_RBINDFAIL });
    await expect(h.server.closed).resolves.toEqual({ kind: 'bind_failed', status: CommandStatus.ESME_RBINDFAIL });
  });

  it('answers a second bind with ESME_RALYBND and stays bound', async () => {
    const h = rawClientAgainstServer();
    h.peer.send(raw(bindPdu({ sequenceNumber: 1 })));
    await settle();
    h.peer.send(raw(bindPdu({ sequenceNumber: 2 })));
    await settle();
    const out = h.received();
    expect(out[0]).toMatchObject({ command: 'bind_transceiver_resp', commandStatus: 0, sequenceNumber: 1 });
    expect(out[1]).toMatchObject({ command: 'bind_transceiver_resp', commandStatus: CommandStatus.ESME_RALYBND, sequenceNumber: 2 });
    expect(h.server.state).toBe('bound_trx');
    h.peer.destroy();
    await h.server.closed;
  });

  it('puts sc_interface_version 0x34 in the bind_resp for 3.4 and 5.0 clients, none for 3.3', async () => {
    for (const [version, expected] of [[0x34, 0x34], [0x50, 0x34], [0x33, undefined]] as const) {
      const h = rawClientAgainstServer();
      h.peer.send(raw(bindPdu({ interfaceVersion: version })));
      await settle();
      const resp = h.received()[0]!;
      expect(resp.commandStatus).toBe(0);
      const tlv = getTlv(resp, Tlv.sc_interface_version);
      expect(tlv === undefined ? undefined : tlv[0]).toBe(expected);
      expect(h.server.peerInterfaceVersion).toBe(version);
      h.peer.destroy();
      await h.server.closed;
    }
  });

  it('adds the authenticator TLVs to the bind_resp (e.g. congestion_state) untouched', async () => {
    const h = rawClientAgainstServer(() => ({ ok: true, tlvs: [{ tag: Tlv.congestion_state, value: Buffer.from([42]) }] }));
    h.peer.send(raw(bindPdu()));
    await settle();
    const resp = h.received()[0]!;
    expect(resp.tlvs).toEqual([
      { tag: Tlv.sc_interface_version, value: Buffer.from([0x34]) },
      { tag: Tlv.congestion_state, value: Buffer.from([42]) },
    ]);
    h.peer.destroy();
    await h.server.closed;
  });

  it('answers requests before bind with ESME_RINVBNDSTS (enquire_link is answered)', async () => {
    const h = rawClientAgainstServer();
    h.peer.send(raw(submitSm({ sequenceNumber: 7 })));
    h.peer.send(raw({ command: 'enquire_link', commandStatus: 0, sequenceNumber: 8 }));
    h.peer.send(raw({ command: 'unbind', commandStatus: 0, sequenceNumber: 9 }));
    await settle();
    const out = h.received();
    expect(out[0]).toMatchObject({ command: 'submit_sm_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 7 });
    expect(out[1]).toMatchObject({ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: 8 });
    expect(out[2]).toMatchObject({ command: 'unbind_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 9 });
    expect(h.server.state).toBe('open');
    h.peer.destroy();
    await h.server.closed;
  });

  it('answers submit_sm from a receiver bind with ESME_RINVBNDSTS', async () => {
    const h = rawClientAgainstServer();
    h.peer.send(raw({ ...bindPdu(), command: 'bind_receiver' }));
    await settle();
    h.peer.send(raw(submitSm({ sequenceNumber: 3 })));
    await settle();
    expect(h.received()[1]).toMatchObject({ command: 'submit_sm_resp', commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 3 });
    expect(h.events).toContainEqual({ type: 'rejectedRequest', command: 'submit_sm', status: CommandStatus.ESME_RINVBNDSTS });
    h.peer.destroy();
    await h.server.closed;
  });

  it('a transmitter answers deliver_sm with ESME_RINVBNDSTS', async () => {
    const p = await boundPair({ bind: { bindType: 'transmitter' } });
    // The SMSC session would refuse to send it itself, so push the bytes past it.
    p.b.send(raw(deliverSm({ sequenceNumber: 11 })));
    await settle();
    const answers = writtenPdus(p.a).filter((x) => x.command === 'deliver_sm_resp');
    expect(answers).toEqual([expect.objectContaining({ commandStatus: CommandStatus.ESME_RINVBNDSTS, sequenceNumber: 11 })]);
    await expect(p.server.send(deliverSm())).rejects.toBeInstanceOf(SessionStateError);
    await p.client.close();
  });

  it('refuses local sends the state does not allow', async () => {
    const p = await boundPair({ bind: { bindType: 'receiver' } });
    await expect(p.client.send(submitSm())).rejects.toBeInstanceOf(SessionStateError);
    await expect(p.server.send(submitSm())).rejects.toBeInstanceOf(SessionStateError);
    await p.client.close();
    await expect(p.client.send(submitSm())).rejects.toBeInstanceOf(SessionStateError);
  });

  it('closes a connection that does not bind in time', async () => {
    const h = rawClientAgainstServer();
    h.clock.advance(4999);
    await settle();
    expect(h.server.state).toBe('open');
    h.clock.advance(1);
    const reason = await h.server.closed;
    expect(reason.kind).toBe('error');
    expect(reason.kind === 'error' && reason.error).toBeInstanceOf(TimeoutError);
  });

  it('client bind times out with TimeoutError and closes', async () => {
    const clock = new FakeClock();
    const [a, b] = memoryPair(() => new SmppFramer());
    b.frames$.subscribe(() => undefined); // a peer that reads and never answers
    const p = bindClient(a, goodBind, { clock, ...quiet, bindTimeoutMs: 1000 });
    await settle();
    clock.advance(1000);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(a.isOpen).toBe(false);
  });
});
