import { UcpPersonaParseError, UcpPersonas, parseUcpPersona, ucpPersonaName } from '../../../simulators/ucp/personas';
import { SctsAllocator } from '../../../simulators/ucp/scts';
import { FakeClock } from '../../../protocols/wire/clock';

describe('UCP personas', () => {
  it.each([
    ['happy', UcpPersonas.happy],
    ['dlrAfter(500, delivered)', UcpPersonas.dlrAfter(500, 'delivered')],
    ['dlrAfter(0,buffered)', UcpPersonas.dlrAfter(0, 'buffered')],
    ['nackOnSubmit(24)', UcpPersonas.nackOnSubmit('24')],
    ['nackOnSubmit(4)', UcpPersonas.nackOnSubmit(4)],
    ['noResponseOnSubmit', UcpPersonas.noResponseOnSubmit],
    ['slow(100)', UcpPersonas.slow(100)],
    ['dropAfterLogin', UcpPersonas.dropAfterLogin],
    ['blackHole', UcpPersonas.blackHole],
    ['corruptChecksum', UcpPersonas.corruptChecksum],
  ])('parses %s', (text, persona) => {
    expect(parseUcpPersona(text)).toEqual(persona);
    expect(parseUcpPersona(ucpPersonaName(persona))).toEqual(persona);
  });

  it.each(['', 'nope', 'slow(0)', 'slow(x)', 'nackOnSubmit(abc)', 'dlrAfter(5)', 'dlrAfter(5,lost)', 'happy(1)'])('refuses %j', (text) => {
    expect(() => parseUcpPersona(text)).toThrow(UcpPersonaParseError);
  });
});

describe('SctsAllocator', () => {
  it('never gives one number the same SCTS twice, other numbers keep the wall clock', () => {
    const clock = new FakeClock(Date.UTC(2024, 0, 15, 12, 30, 5, 200));
    const a = new SctsAllocator(clock);
    expect(a.next('447700900123')).toBe('150124123005');
    expect(a.next('447700900123')).toBe('150124123006');
    expect(a.next('447700900999')).toBe('150124123005');
    clock.advance(10_000);
    expect(a.next('447700900123')).toBe('150124123015');
  });

  it('rolls over minutes (and the UTC offset) correctly in a burst', () => {
    const clock = new FakeClock(Date.UTC(2024, 0, 15, 23, 59, 59));
    const a = new SctsAllocator(clock, 60);
    expect([a.next('1'), a.next('1'), a.next('1')]).toEqual(['160124005959', '160124010000', '160124010001']);
  });

  it('forgets numbers whose last stamp has passed once the table is full', () => {
    const clock = new FakeClock(Date.UTC(2024, 0, 15, 12, 0, 0));
    const a = new SctsAllocator(clock, 0, 3);
    a.next('1');
    a.next('2');
    a.next('3');
    clock.advance(2000);
    a.next('4');
    expect(a.tracked).toBe(1);
  });
});
