import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { connectCimd2Client } from '../../../protocols/cimd2/client';
import { submit } from '../../../protocols/cimd2/message';
import type { Cimd2Session } from '../../../protocols/cimd2/session';
import { startCimd2Simulator, type Cimd2Simulator } from '../../../simulators/cimd2/simulator';
import { selfSignedCert } from '../../helpers/test-cert';

const root = path.resolve(__dirname, '../../..');
let child: ChildProcess | undefined;
let sim: Cimd2Simulator | undefined;
let client: Cimd2Session | undefined;

afterEach(async () => {
  if (client && client.state !== 'closed') await client.close();
  if (sim) await sim.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  child = sim = client = undefined;
});

describe('sim:cimd2 CLI', () => {
  it('listens, accepts the configured login, logs a line per event and exits 0 on SIGTERM', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulators/cimd2/cli.ts', '--port', '0', '--user', 'acme', '--password', 'secret', '--persona', 'dlrAfter(0,delivered)'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child!.once('exit', (code) => reject(new Error(`cli exited ${code}`)));
    });
    client = await connectCimd2Client({ host: '127.0.0.1', port, login: { user: 'acme', password: 'secret' } }, { aliveIntervalMs: 0 });
    const got = new Promise<number>((resolve) => client!.requests$.subscribe((r) => {
      r.respond({});
      resolve(r.pdu.opCode);
    }));
    await client.send(submit({ destinations: ['4477'], text: 'cli', statusReportRequest: 14 }));
    expect(await got).toBe(23);
    await client.close();
    const exit = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toMatch(/login ok user=acme/);
    expect(out).toMatch(/status report delivered/);
  });

  it('refuses to start without credentials (exit 2)', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulators/cimd2/cli.ts', '--port', '0'], { cwd: root, stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    expect(code).toBe(2);
  });
});

describe('CIMD2 over TLS', () => {
  it('logs in and submits through a TLS simulator', async () => {
    const { key, cert: certPem } = selfSignedCert();
    sim = await startCimd2Simulator({ user: 'acme', password: 'secret', tls: { key, cert: certPem } });
    client = await connectCimd2Client(
      { host: '127.0.0.1', port: sim.port, tls: { ca: certPem, servername: 'localhost' }, login: { user: 'acme', password: 'secret' } },
      { aliveIntervalMs: 0 },
    );
    await expect(client.send(submit({ destinations: ['4477'], text: 'over TLS' }))).resolves.toMatchObject({ opCode: 53 });
    await client.close();
    expect(await client.finished).toEqual({ kind: 'local' });
  });
});
