import { CommandStatus } from '../../protocols/smpp/constants';
import { Personas } from '../../simulators/smpp/personas';
import { startSmppSimulator } from '../../simulators/smpp/simulator';
import type { SmppSimulator } from '../../simulators/smpp/simulator';
import { NpmPartner } from './helpers/npm-partner';
import { smppConnector, startHarness, until } from './helpers/gateway-harness';
import type { Harness } from './helpers/gateway-harness';

const PARTNER = { id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } };

describe('gateway end to end over loopback (npm smpp partner -> gateway -> SMPP simulator)', () => {
  const sims: SmppSimulator[] = [];
  const partners: NpmPartner[] = [];
  let gw: Harness | undefined;

  async function sim(persona = Personas.dlrAfter(20, 'delivered')): Promise<SmppSimulator> {
    const s = await startSmppSimulator({ port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona });
    sims.push(s);
    return s;
  }

  async function bind(systemId = 'acme', password = 'secret1', kind: 'transceiver' | 'transmitter' | 'receiver' = 'transceiver') {
    const r = await NpmPartner.bind(gw!.daemon.ports.smpp, systemId, password, kind);
    partners.push(r.partner);
    return r;
  }

  afterEach(async () => {
    await Promise.all(partners.splice(0).map((p) => p.close()));
    await gw?.close();
    gw = undefined;
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  it('routes plain, UDH-concatenated, message_payload and UCS2 messages and returns receipts with our ids', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    const { partner, status } = await bind();
    expect(status).toBe(0);

    const ids: string[] = [];
    const submit = async (o: Record<string, unknown>) => {
      const r = await partner.submit({ source_addr: 'ACME', destination_addr: '447700900123', ...o });
      expect(r.command_status).toBe(0);
      ids.push(String(r['message_id']));
    };
    for (let i = 0; i < 10; i++) await submit({ short_message: `hello ${i}` });
    // a long message the partner split itself: two UDH parts
    const udh1 = Buffer.from('050003a70201', 'hex');
    const udh2 = Buffer.from('050003a70202', 'hex');
    await submit({ esm_class: 0x40, short_message: Buffer.concat([udh1, Buffer.from('A'.repeat(153))]) });
    await submit({ esm_class: 0x40, short_message: Buffer.concat([udh2, Buffer.from('B'.repeat(20))]) });
    // a long message in message_payload: the gateway splits it into 2 parts (perPart receipts: 2 with the same id)
    await submit({ message_payload: Buffer.from('C'.repeat(300)) });
    // UCS2
    await submit({ data_coding: 8, short_message: Buffer.from('041f04400438043204350442', 'hex') });

    expect(new Set(ids).size).toBe(14);
    await partner.waitReceipts(15);
    expect(s.stats.submits).toBe(15);
    const receiptIds = partner.receiptIds();
    for (const id of receiptIds) expect(ids).toContain(id);
    expect(receiptIds.filter((id) => id === ids[12])).toHaveLength(2);
    for (const r of partner.receipts) {
      expect(r['esm_class']).toBe(0x04);
      expect(r['message_state']).toBe(2);
      expect(String((r['short_message'] as { message?: string }).message ?? r['short_message'])).toMatch(/stat:DELIVRD/);
    }
    // receipts are answered by the partner: nothing stays owed, every message is final in the store
    await until(() => gw!.daemon.store.stats().unfinished === 0, 5000, 'all final');
    const stored = await gw.daemon.store.get(ids[0]!);
    expect(stored?.state).toBe('delivered');
    expect(stored?.partnerId).toBe('acme');
    // query_sm answers from the store
    const q = await partner.send('query_sm', { message_id: ids[0], source_addr: 'ACME' });
    expect(q.command_status).toBe(0);
    expect(q['message_state']).toBe(2);
    const unknown = await partner.send('query_sm', { message_id: '999999', source_addr: 'ACME' });
    expect(unknown.command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
  });

  it('answers ESME_RINVDSTADR when no route matches and stores nothing', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [PARTNER],
      routes: [{ id: 'uk', prefix: '44', targets: ['sim'] }],
    });
    const { partner } = await bind();
    const r = await partner.submit({ source_addr: 'ACME', destination_addr: '33612345678', short_message: 'x' });
    expect(r.command_status).toBe(CommandStatus.ESME_RINVDSTADR);
    expect(gw.daemon.store.stats().unfinished).toBe(0);
    expect(s.stats.submits).toBe(0);
  });

  it('refuses a wrong password, an unknown system_id and a disallowed address', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [PARTNER, { id: 'far', smpp: { systemId: 'far', password: 'pw', allowedIps: ['10.0.0.0/8'] } }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    expect((await bind('acme', 'nope')).status).toBe(CommandStatus.ESME_RINVPASWD);
    expect((await bind('ghost', 'x')).status).toBe(CommandStatus.ESME_RINVSYSID);
    expect((await bind('far', 'pw')).status).toBe(CommandStatus.ESME_RBINDFAIL);
    expect((await bind('acme', 'secret1')).status).toBe(0);
  });

  it('refuses binds above maxBinds', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1', maxBinds: 2 } }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    expect((await bind()).status).toBe(0);
    expect((await bind()).status).toBe(0);
    expect((await bind()).status).toBe(CommandStatus.ESME_RBINDFAIL);
  });

  it('answers ESME_RTHROTTLED above the partner maxSubmitPerSec', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1', maxSubmitPerSec: 5 } }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    const { partner } = await bind();
    const resps = await Promise.all(
      Array.from({ length: 20 }, (_, i) => partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: `t${i}` })),
    );
    const ok = resps.filter((r) => r.command_status === 0).length;
    const throttled = resps.filter((r) => r.command_status === CommandStatus.ESME_RTHROTTLED).length;
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThan(20);
    expect(ok + throttled).toBe(20);
  });

  it('fails over to the next target when the first SMSC is down', async () => {
    const s = await sim();
    const { closedPort } = await import('./helpers/gateway-harness');
    const dead = await closedPort();
    gw = await startHarness({
      connectors: [smppConnector('down', dead), smppConnector('up', s.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['down', 'up'] }],
    });
    await until(() => s.stats.binds > 0, 5000, 'bind to the live SMSC');
    const { partner } = await bind();
    for (let i = 0; i < 5; i++) {
      const r = await partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: `f${i}` });
      expect(r.command_status).toBe(0);
    }
    await partner.waitReceipts(5);
    expect(s.stats.submits).toBe(5);
  });

  it('fails a message the SMSC refuses permanently and sends the partner a negative receipt', async () => {
    const s = await sim(Personas.nackOnSubmit('ESME_RINVDSTADR'));
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    const { partner } = await bind();
    const r = await partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: 'nope' });
    expect(r.command_status).toBe(0);
    await partner.waitReceipts(1);
    expect(partner.receipts[0]!['message_state']).toBe(8); // REJECTED
    expect(partner.receiptIds()).toEqual([String(r['message_id'])]);
    // The partner's copy may go out before the store has the receipt (ReceiptForwarder.forwardFirst).
    let state: string | undefined;
    for (let i = 0; i < 200 && state !== 'rejected'; i++) {
      state = (await gw.daemon.store.get(String(r['message_id'])))?.state;
      if (state !== 'rejected') await new Promise((res) => setTimeout(res, 10));
    }
    expect(state).toBe('rejected');
    expect(await gw.daemon.store.owedReceipts('acme', 10)).toEqual([]);
  });

  it('one receipt for the whole message when the partner asks for receiptMode whole', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [{ ...PARTNER, receiptMode: 'whole' }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    const { partner } = await bind();
    const r = await partner.submit({ source_addr: 'A', destination_addr: '4470', message_payload: Buffer.from('D'.repeat(400)) });
    expect(r.command_status).toBe(0);
    await until(() => s.stats.submits === 3, 5000, '3 parts at the SMSC');
    await partner.waitReceipts(1);
    await until(() => gw!.daemon.store.stats().unfinished === 0, 5000, 'final');
    expect(partner.receipts).toHaveLength(1);
  });

  it('keeps receipts owed while the partner has no receiver bind and delivers them on bind', async () => {
    const s = await sim();
    gw = await startHarness({
      connectors: [smppConnector('sim', s.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    const { partner: tx } = await bind('acme', 'secret1', 'transmitter');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await tx.submit({ source_addr: 'A', destination_addr: '4470', short_message: `o${i}` });
      ids.push(String(r['message_id']));
    }
    await until(() => s.stats.receiptsSent === 3, 5000, 'SMSC receipts');
    await until(() => gw!.daemon.store.stats().unfinished === 0, 5000, 'final');
    expect(await gw.daemon.store.owedReceipts('acme', 10)).toHaveLength(3);
    expect(tx.receipts).toHaveLength(0);
    const { partner: rx } = await bind('acme', 'secret1', 'receiver');
    await rx.waitReceipts(3);
    expect(rx.receiptIds().sort()).toEqual(ids.sort());
    const owedAfter = async () => (await gw!.daemon.store.owedReceipts('acme', 10)).length;
    for (let i = 0; i < 100 && (await owedAfter()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await owedAfter()).toBe(0);
  });

  it('a reload changes the route without dropping the partner bind', async () => {
    const s1 = await sim();
    const s2 = await sim();
    gw = await startHarness({
      connectors: [smppConnector('one', s1.port), smppConnector('two', s2.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['one'] }],
    });
    await until(() => s1.stats.binds > 0 && s2.stats.binds > 0, 5000, 'binds');
    const { partner } = await bind();
    expect((await partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: 'before' })).command_status).toBe(0);
    await until(() => s1.stats.submits === 1, 5000, 'first to one');

    const { testConfig } = await import('./helpers/gateway-harness');
    const next = testConfig(gw.dir, {
      connectors: [smppConnector('one', s1.port), smppConnector('two', s2.port)],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['two'] }],
    });
    expect(await gw.daemon.reload(next)).toEqual({ ok: true });
    expect((await partner.submit({ source_addr: 'A', destination_addr: '4470', short_message: 'after' })).command_status).toBe(0);
    await until(() => s2.stats.submits === 1, 5000, 'second to two');
    expect(s1.stats.submits).toBe(1);
    expect(partner.closed).toBe(false);
    await partner.waitReceipts(2);
  });
});
