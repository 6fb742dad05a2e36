import { decodePacket } from '../../../protocols/cimd2/codec';
import { ErrorCode } from '../../../protocols/cimd2/constants';
import { errorCodeFor } from '../../../protocols/cimd2/params';
import { PduDecodeError } from '../../../protocols/wire/errors';
import { wire } from '../../fixtures/cimd2';

describe('CIMD2 malformed frames', () => {
  it.each([
    ['bad checksum', '<STX>40:007<TAB>41<ETX>', 'checksum', 40, 7],
    ['checksum not hex', '<STX>40:007<TAB>4G<ETX>', 'syntax', 40, 7],
    ['missing ETX', '<STX>40:007<TAB>40', 'no_etx', 40, 7],
    ['parameter without colon', '<STX>03:003<TAB>021447700900123<TAB><ETX>', 'syntax', 3, 3],
    ['parameter code not digits', '<STX>03:003<TAB>0A1:447700900123<TAB><ETX>', 'syntax', 3, 3],
    ['short parameter', '<STX>03:003<TAB>02<TAB><ETX>', 'syntax', 3, 3],
    ['NUL in a value', '<STX>03:003<TAB>033:a\x00b<TAB><ETX>', 'syntax', 3, 3],
    ['no TAB before the checksum', '<STX>40:007<TAB>010:ab40<ETX>', 'syntax', 40, 7],
  ])('%s -> %s (NACK with the packet number)', (_n, frame, reason, op, num) => {
    const r = decodePacket(wire(frame));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.opCode).toBe(op);
    expect(r.packetNumber).toBe(num);
    expect(r.error).toBeInstanceOf(PduDecodeError);
    expect(r.error.status).toBe(ErrorCode.SYNTAX_ERROR);
  });

  it.each([
    ['no STX', '40:007<TAB>40<ETX>'],
    ['op code not digits', '<STX>4x:007<TAB>40<ETX>'],
    ['packet number with 2 digits', '<STX>40:07<TAB>40<ETX>'],
    ['no TAB after the header', '<STX>40:007 40<ETX>'],
    ['too short', '<STX>40<ETX>'],
    ['empty', ''],
  ])('%s -> header failure (fatal, nothing to answer)', (_n, frame) => {
    const r = decodePacket(wire(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('header');
      expect(r.packetNumber).toBeUndefined();
    }
  });

  it.each([
    ['over-long alphanumeric originator', 3, '027:ACMECORPORATION', 322],
    ['destination with letters', 3, '021:44770abc', 300],
    ['over-long destination', 3, '021:123456789012345678901', 300],
    ['user data over 480 chars', 3, '033:' + 'a'.repeat(481), 302],
    ['odd-length binary', 3, '034:ABC', 302],
    ['non-hex UDH', 3, '032:05000ZA50201', 302],
    ['DCS above 255', 3, '030:256', 304],
    ['status report request above 63', 3, '056:64', 310],
    ['tariff class above 99', 3, '064:100', 313],
    ['service description above 9', 3, '065:10', 314],
    ['priority 0', 3, '067:0', 312],
    ['more messages to send 2 (MMS)', 3, '044:2', 318],
    ['validity period relative text', 3, '050:soon', 305],
    ['enquire with a bad SCTS', 4, '060:2401151230', 401],
    ['enquire with a bad address', 4, '021:x', 400],
    ['cancel with a bad mode', 6, '059:3', 602],
    ['delivery request bad mode', 5, '068:9', 501],
    ['login user over 32', 1, '010:' + 'u'.repeat(33), 100],
    ['login bad window size', 1, '019:abc', 104],
    ['MO with bad timestamp', 20, '060:24011512300x', 8],
  ])('%s -> value failure with 900 code from the reference', (_n, op, param, code) => {
    const frame = `<STX>${String(op).padStart(2, '0')}:003<TAB>${param}<TAB><ETX>`;
    const r = decodePacket(wire(frame));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('value');
    expect(r.error.status).toBe(code);
    expect(r.opCode).toBe(op);
    expect(r.packet?.params[0]?.code).toBe(param.slice(0, 3));
  });

  it('validity period relative -1 is allowed (Kannel)', () => {
    expect(decodePacket(wire('<STX>03:003<TAB>021:1<TAB>050:-1<TAB><ETX>')).ok).toBe(true);
  });

  it('falls back to 8 (parameter formatting error) for a code without a specific one', () => {
    expect(errorCodeFor(3, '999')).toBe(ErrorCode.PARAMETER_FORMATTING_ERROR);
  });
});
