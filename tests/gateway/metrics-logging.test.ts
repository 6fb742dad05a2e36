import { Writable } from 'node:stream';
import { REDACTED, createLogger, redactValue } from '../../gateway/logging';

function sink(): { stream: Writable; lines(): Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('logging', () => {
  it('writes one JSON object per line with level, message, timestamp and meta', async () => {
    const s = sink();
    const log = createLogger({ level: 'info', stream: s.stream, base: { node: 'n1' } });
    log.info('bound', { connector: 'sim', binds: 2 });
    log.debug('not shown');
    await flush();
    const lines = s.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'bound', connector: 'sim', binds: 2, node: 'n1' });
    expect(typeof lines[0]!['timestamp']).toBe('string');
  });

  it('redacts passwords and secrets anywhere in the meta without touching the caller object', async () => {
    const s = sink();
    const log = createLogger({ level: 'debug', stream: s.stream });
    const meta = {
      password: 'gwpass',
      connector: { id: 'sim', systemId: 'gw', password: 'x', tls: { apiKey: 'k' } },
      partners: [{ id: 'p', smpp: { password: 'demo123' } }],
      clientSecret: 's',
      authToken: 't',
    };
    log.warn('config', meta);
    log.child({ secret: 'zz' }).info('child');
    await flush();
    const [a, b] = s.lines();
    const text = JSON.stringify(s.lines());
    for (const secret of ['gwpass', '"x"', 'demo123', '"k"', '"s"', '"t"', 'zz']) expect(text).not.toContain(secret);
    expect(a).toMatchObject({
      password: REDACTED,
      connector: { id: 'sim', systemId: 'gw', password: REDACTED, tls: { apiKey: REDACTED } },
      partners: [{ id: 'p', smpp: { password: REDACTED } }],
      clientSecret: REDACTED,
      authToken: REDACTED,
    });
    expect(b).toMatchObject({ secret: REDACTED });
    expect(meta.connector.password).toBe('x');
  });

  it('puts the message id on every line of a message logger', async () => {
    const s = sink();
    const log = createLogger({ level: 'info', stream: s.stream }).child({ connector: 'sim' });
    const m = log.forMessage('42');
    m.info('submitted');
    m.error('failed', { err: new Error('boom') });
    await flush();
    const lines = s.lines();
    expect(lines.map((l) => l['messageId'])).toEqual(['42', '42']);
    expect(lines.map((l) => l['connector'])).toEqual(['sim', 'sim']);
    expect(lines[1]!['err']).toMatchObject({ name: 'Error', message: 'boom' });
  });

  it('changes level at run time', async () => {
    const s = sink();
    const log = createLogger({ level: 'warn', stream: s.stream });
    const child = log.child({ a: 1 });
    child.info('hidden');
    expect(child.isLevelEnabled('info')).toBe(false);
    log.setLevel('info');
    child.info('shown');
    await flush();
    expect(s.lines().map((l) => l['message'])).toEqual(['shown']);
  });

  it('redactValue copes with cycles, Buffers and depth', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    const out = redactValue({ a, buf: Buffer.from([1, 2]) }) as Record<string, Record<string, unknown>>;
    expect(out['a']!['self']).toBe('[circular]');
    expect(out['buf']).toBe('0102');
    const same = { x: 1, y: [1, 2] };
    expect(redactValue(same)).toBe(same);
  });
});
