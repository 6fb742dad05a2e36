import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { connectUcpClient } from '../../../protocols/ucp/client';
import { submitsFromText } from '../../../protocols/ucp/message';
import type { UcpSession } from '../../../protocols/ucp/session';

const ROOT = path.resolve(__dirname, '../../..');

describe('sim:ucp CLI', () => {
  let child: ChildProcess | undefined;
  let client: UcpSession | undefined;

  afterEach(async () => {
    await client?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()));
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('listens, accepts the configured login, logs a line per event and stops on SIGTERM', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulators/ucp/cli.ts', '--port', '0', '--user', '4477009000', '--password', 'pw', '--persona', 'nackOnSubmit(24)'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child!.stdout!.on('data', () => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    client = await connectUcpClient({ host: '127.0.0.1', port, login: { oadc: '4477009000', password: 'pw' } }, { keepAliveIntervalMs: 0 });
    const [op] = submitsFromText({ to: '447700900123', from: '4477009000', text: 'x' });
    await expect(client.send(op!)).rejects.toMatchObject({ status: '24' });
    await client.close();
    const code = await new Promise<number | null>((resolve) => {
      child!.once('exit', (c) => resolve(c));
      child!.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toMatch(/login 4477009000 .*: ok/);
    expect(out).toMatch(/submit to 447700900123: NACK 24/);
    expect(out).toMatch(/stopped logins=1 submits=1/);
  });

  it('refuses bad arguments with exit code 2', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulators/ucp/cli.ts', '--port', '0', '--user', 'u'], { cwd: ROOT, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
  });
});
