import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { connectClient } from '../../../protocols/smpp/client-session';
import { CommandStatus } from '../../../protocols/smpp/constants';
import { PersonaParseError, Personas, parsePersona, personaName } from '../../../simulators/smpp/personas';
import { submitSm } from '../../helpers/smpp-pdus';

describe('SMPP simulator personas', () => {
  it.each([
    ['happy', { kind: 'happy' }],
    ['blackHole', { kind: 'blackHole' }],
    ['noResponseOnSubmit', { kind: 'noResponseOnSubmit' }],
    ['dropAfterBind', { kind: 'dropAfterBind' }],
    ['unbindOnSubmit', { kind: 'unbindOnSubmit' }],
    ['corruptLength', { kind: 'corruptLength' }],
    ['nackOnSubmit(ESME_RTHROTTLED)', { kind: 'nackOnSubmit', status: 0x58 }],
    ['nackOnSubmit(0x14)', { kind: 'nackOnSubmit', status: 0x14 }],
    ['nackOnSubmit(69)', { kind: 'nackOnSubmit', status: 69 }],
    ['slow(100)', { kind: 'slow', perSec: 100 }],
    ['dlrAfter(500,delivered)', { kind: 'dlrAfter', ms: 500, outcome: 'delivered' }],
    [' dlrAfter( 0 , expired ) ', { kind: 'dlrAfter', ms: 0, outcome: 'expired' }],
  ])('parses %s', (text, expected) => {
    expect(parsePersona(text)).toEqual(expected);
  });

  it.each(['', 'sad', 'happy(1)', 'slow()', 'slow(0)', 'slow(x)', 'nackOnSubmit(ESME_NOPE)', 'dlrAfter(5)', 'dlrAfter(5,lost)', 'dlrAfter(-1,delivered)'])(
    'rejects %j with PersonaParseError',
    (text) => {
      expect(() => parsePersona(text)).toThrow(PersonaParseError);
    },
  );

  it('round-trips through personaName', () => {
    for (const p of [Personas.happy, Personas.slow(7), Personas.dlrAfter(10, 'rejected'), Personas.nackOnSubmit('ESME_RSYSERR')]) {
      expect(parsePersona(personaName(p))).toEqual(p);
    }
  });
});

describe('SMPP simulator CLI', () => {
  it('listens, serves a bind, prints event lines and exits 0 on SIGTERM after unbinding', async () => {
    const root = path.resolve(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'simulators/smpp/cli.ts', '--port', '0', '--system-id', 'esme1', '--password', 'secret', '--persona', 'nackOnSubmit(ESME_RSYSERR)'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(`simulator exited early: ${out}`)));
      });
      const client = await connectClient({ host: '127.0.0.1', port, systemId: 'esme1', password: 'secret', bindType: 'transmitter' }, { enquireLinkIntervalMs: 0 });
      const err = await client
        .send(submitSm({ sourceAddrTon: 0, sourceAddr: 'A', destinationAddr: '4477', shortMessage: Buffer.from('x') }))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status: CommandStatus.ESME_RSYSERR });
      child.kill('SIGTERM');
      await expect(client.closed).resolves.toEqual({ kind: 'remote' });
      expect(await exited).toBe(0);
      expect(out).toMatch(/ bind system_id=esme1 /);
      expect(out).toMatch(/ submit seq=2 /);
      expect(out).toMatch(/ unbind system_id=esme1/);
      expect(out).toMatch(/ close system_id=esme1 reason=local/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
  });
});
