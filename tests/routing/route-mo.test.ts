import { compileMoServices, decideNoMatch, matchMoService, type MoServiceRule } from '../../routing/operators/route-mo';

const services: MoServiceRule[] = [
  { id: 'default-4455', shortNumber: '4455' },
  { id: 'joke', shortNumber: '4455', keyword: 'joke' },
  { id: 'top', shortNumber: '4455', keyword: 'TOP' },
  { id: 'top10', shortNumber: '4455', keyword: 'top 10' },
  { id: 'vote', shortNumber: '4455', regex: 'v[0-9]+' },
  { id: 'joke-opb', shortNumber: '4455', keyword: 'JOKE', operator: 'opB' },
  { id: 'default-4455-opc', shortNumber: '4455', operator: 'opC' },
  { id: 'only-kw', shortNumber: '7000', keyword: 'INFO' },
  { id: 'plus', shortNumber: '+8000' },
];

function table() {
  const r = compileMoServices(services);
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.table;
}

describe('matchMoService', () => {
  const t = table();
  const cases: { name: string; sn: string; text: string; op?: string; id?: string; by?: string; rest?: string; reason?: string }[] = [
    { name: 'exact keyword', sn: '4455', text: 'JOKE', id: 'joke', by: 'keyword', rest: '' },
    { name: 'case-insensitive', sn: '4455', text: 'jOkE please', id: 'joke', by: 'keyword', rest: 'please' },
    { name: 'leading spaces and tabs', sn: '4455', text: '   \tjoke  me', id: 'joke', by: 'keyword', rest: 'me' },
    { name: 'keyword needs a word boundary', sn: '4455', text: 'jokes', id: 'default-4455', by: 'default', rest: 'jokes' },
    { name: 'longest keyword wins', sn: '4455', text: 'top 10 songs', id: 'top10', by: 'keyword', rest: 'songs' },
    { name: 'multi-word keyword tolerates runs of spaces', sn: '4455', text: 'Top    10', id: 'top10', by: 'keyword', rest: '' },
    { name: 'shorter keyword when longer does not match', sn: '4455', text: 'top 100', id: 'top', by: 'keyword', rest: '100' },
    { name: 'regex on first word', sn: '4455', text: 'V12 yes', id: 'vote', by: 'regex', rest: 'V12 yes' },
    { name: 'regex anchored', sn: '4455', text: 'xv12', id: 'default-4455', by: 'default' },
    { name: 'default service', sn: '4455', text: 'hello', id: 'default-4455', by: 'default', rest: 'hello' },
    { name: 'empty text goes to default', sn: '4455', text: '', id: 'default-4455', by: 'default', rest: '' },
    { name: 'operator-specific keyword beats generic', sn: '4455', text: 'joke', op: 'opB', id: 'joke-opb', by: 'keyword' },
    { name: 'operator filter excludes other operators', sn: '4455', text: 'joke', op: 'opA', id: 'joke' },
    { name: 'operator-specific default', sn: '4455', text: 'hi', op: 'opC', id: 'default-4455-opc', by: 'default' },
    { name: 'keyword beats operator default', sn: '4455', text: 'joke', op: 'opC', id: 'joke' },
    { name: 'no default: no match', sn: '7000', text: 'hello', reason: 'no_service' },
    { name: 'keyword only number matches', sn: '7000', text: ' info x', id: 'only-kw' },
    { name: 'unknown short number', sn: '9999', text: 'joke', reason: 'unknown_short_number' },
    { name: 'plus sign ignored on number', sn: '8000', text: 'x', id: 'plus' },
    { name: 'plus sign on MO destination', sn: '+4455', text: 'joke', id: 'joke' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = matchMoService(t, { shortNumber: c.sn, text: c.text, operator: c.op });
      if (c.reason) {
        expect(m).toEqual({ kind: 'noMatch', reason: c.reason });
        return;
      }
      expect(m.kind).toBe('matched');
      if (m.kind !== 'matched') return;
      expect(m.service.id).toBe(c.id);
      if (c.by) expect(m.matchedBy).toBe(c.by);
      if (c.rest !== undefined) expect(m.rest).toBe(c.rest);
    });
  }
});

describe('compileMoServices', () => {
  it('reports a bad regex, keyword+regex and duplicates with their index', () => {
    const r = compileMoServices([
      { id: 'a', shortNumber: '1', regex: '(' },
      { id: 'b', shortNumber: '1', keyword: 'x', regex: 'y' },
      { id: 'c', shortNumber: '1', keyword: 'K' },
      { id: 'd', shortNumber: '1', keyword: ' k ' },
      { id: 'e', shortNumber: '1', keyword: '  ' },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.split(':')[0])).toEqual(['services[0].regex', 'services[1]', 'services[3]', 'services[4].keyword']);
  });
});

describe('decideNoMatch', () => {
  it('replies when a reply text is configured, else drops', () => {
    expect(decideNoMatch({ reply: 'Unknown keyword' })).toEqual({ kind: 'reply', text: 'Unknown keyword' });
    expect(decideNoMatch({})).toEqual({ kind: 'drop' });
    expect(decideNoMatch({ reply: '' })).toEqual({ kind: 'drop' });
  });
});
