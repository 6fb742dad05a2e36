import { compileMtRoutes, decideRouteMt, firstAvailable, routableDigits, type MtRouteRule } from '../../routing/operators/route-mt';

const rules: MtRouteRule[] = [
  { id: 'default', prefix: '', targets: ['c-default'] },
  { id: 'uk', prefix: '44', targets: ['c-uk1', 'c-uk2'] },
  { id: 'uk-mobile', prefix: '447', targets: ['c-ukm'] },
  { id: 'uk-mobile-acme', prefix: '447', partners: ['acme'], targets: ['c-acme'] },
  { id: 'fi-bank', prefix: '358', sources: ['BANK', '358'], targets: ['c-fi-bank'] },
  { id: 'de-weighted', prefix: '49', targets: ['a', 'b'], weights: [3, 1] },
];
const table = compileMtRoutes(rules);

function route(destination: string, partnerId: string | undefined = 'p1', source = '12345', pick = 0) {
  return decideRouteMt({ destination, partnerId, source }, table, pick);
}

describe('decideRouteMt', () => {
  const cases: Array<[string, string | undefined, string, string, string[]]> = [
    ['longest prefix wins', 'p1', '447700900123', 'uk-mobile', ['c-ukm']],
    ['shorter prefix when the longer does not match', 'p1', '441234567', 'uk', ['c-uk1', 'c-uk2']],
    ['partner filter picks its own rule', 'acme', '447700900123', 'uk-mobile-acme', ['c-acme']],
    ['default route for anything else', 'p1', '12025550100', 'default', ['c-default']],
    ['plus sign ignored', 'p1', '+447700900123', 'uk-mobile', ['c-ukm']],
    ['00 international prefix ignored', 'p1', '00447700900123', 'uk-mobile', ['c-ukm']],
  ];
  it.each(cases)('%s', (_name, partner, dest, routeId, targets) => {
    expect(route(dest, partner)).toEqual({ kind: 'routed', routeId, targets });
  });

  it('source filter: a matching source takes the rule, another falls through to the default', () => {
    expect(route('358401234567', 'p1', 'BANKX')).toMatchObject({ routeId: 'fi-bank' });
    expect(route('358401234567', 'p1', '3584000')).toMatchObject({ routeId: 'fi-bank' });
    expect(route('358401234567', 'p1', 'SHOP')).toMatchObject({ routeId: 'default' });
  });

  it('no route is a rejection with no_route', () => {
    const t = compileMtRoutes([{ id: 'uk', prefix: '44', targets: ['x'] }]);
    expect(decideRouteMt({ destination: '33123', partnerId: 'p', source: 's' }, t)).toMatchObject({
      kind: 'rejected',
      code: 'no_route',
    });
  });

  it('a partner-only rule does not match a message without a partner', () => {
    const t = compileMtRoutes([{ id: 'only', prefix: '', partners: ['acme'], targets: ['x'] }]);
    expect(decideRouteMt({ destination: '1', partnerId: undefined, source: 's' }, t)).toMatchObject({ kind: 'rejected' });
  });

  it('weighted round robin follows the weights over a cycle and keeps the others as failover', () => {
    const firsts: string[] = [];
    for (let pick = 0; pick < 8; pick++) {
      const v = route('4930123', 'p1', 's', pick);
      if (v.kind !== 'routed') throw new Error('expected routed');
      expect(v.targets).toHaveLength(2);
      firsts.push(v.targets[0]!);
    }
    expect(firsts.filter((t) => t === 'a')).toHaveLength(6);
    expect(firsts.filter((t) => t === 'b')).toHaveLength(2);
    expect(firsts.slice(0, 4)).toEqual(['a', 'a', 'a', 'b']);
  });

  it('equal prefixes keep config order', () => {
    const t = compileMtRoutes([
      { id: 'first', prefix: '1', targets: ['x'] },
      { id: 'second', prefix: '1', targets: ['y'] },
    ]);
    expect(decideRouteMt({ destination: '123', partnerId: 'p', source: 's' }, t)).toMatchObject({ routeId: 'first' });
  });
});

describe('firstAvailable and routableDigits', () => {
  it('takes the first target that is up, else the first', () => {
    expect(firstAvailable(['a', 'b', 'c'], (id) => id !== 'a')).toBe('b');
    expect(firstAvailable(['a', 'b'], () => false)).toBe('a');
    expect(firstAvailable([], () => true)).toBeUndefined();
  });
  it('strips + and 00', () => {
    expect(routableDigits('+44')).toBe('44');
    expect(routableDigits('0044')).toBe('44');
    expect(routableDigits('044')).toBe('044');
  });
});
