import { PartnerDirectory } from '../../../gateway/servers/partner-directory';
import type { PartnerSettings } from '../../../gateway/servers/partner-directory';
import { CommandStatus } from '../../../protocols/smpp/constants';

const base = { receiptMode: 'perPart' as const, receiptMaxAgeHours: 72, defaultValidityHours: 48 };
const partners: PartnerSettings[] = [
  { id: 'open', smpp: { systemId: 'open', password: 'pw', allowedIps: [], maxBinds: 2, maxSubmitPerSec: 0 }, ...base },
  { id: 'lan', smpp: { systemId: 'lan', password: 'pw', allowedIps: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32'], maxBinds: 1, maxSubmitPerSec: 10 }, ...base },
  { id: 'http-only', ...base },
];

describe('PartnerDirectory.authenticate', () => {
  const dir = new PartnerDirectory(partners, 0);
  const none = (): number => 0;

  it.each([
    ['open', 'pw', '203.0.113.9', 0],
    ['open', 'bad', '203.0.113.9', CommandStatus.ESME_RINVPASWD],
    ['ghost', 'pw', '127.0.0.1', CommandStatus.ESME_RINVSYSID],
    ['lan', 'pw', '10.20.30.40', 0],
    ['lan', 'pw', '::ffff:10.1.2.3', 0],
    ['lan', 'pw', '192.168.1.7', 0],
    ['lan', 'pw', '192.168.1.8', CommandStatus.ESME_RBINDFAIL],
    ['lan', 'pw', '2001:db8:1::5', 0],
    ['lan', 'pw', '2001:db9::5', CommandStatus.ESME_RBINDFAIL],
    ['lan', 'pw', undefined, CommandStatus.ESME_RBINDFAIL],
  ])('%s/%s from %s -> %i', (systemId, password, remote, status) => {
    const r = dir.authenticate(systemId, password, remote, none);
    expect(r.ok ? 0 : r.status).toBe(status);
  });

  it('refuses a bind beyond maxBinds', () => {
    expect(dir.authenticate('lan', 'pw', '10.0.0.1', () => 1)).toMatchObject({ ok: false, status: CommandStatus.ESME_RBINDFAIL });
    expect(dir.authenticate('open', 'pw', '10.0.0.1', () => 1)).toMatchObject({ ok: true });
  });

  it('reload keeps the entry object (live binds keep their limiter) and applies new settings', () => {
    const d = new PartnerDirectory(partners, 0);
    const before = d.get('lan');
    d.load([{ ...partners[1]!, smpp: { ...partners[1]!.smpp!, password: 'new', allowedIps: [] } }], 0);
    expect(d.get('lan')).toBe(before);
    expect(d.authenticate('lan', 'new', '198.51.100.1', () => 0)).toMatchObject({ ok: true });
    expect(d.get('open')).toBeUndefined();
    expect(d.authenticate('open', 'pw', '10.0.0.1', () => 0)).toMatchObject({ ok: false, status: CommandStatus.ESME_RINVSYSID });
  });
});
