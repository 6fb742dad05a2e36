import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { StoreFixture } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');

describe('SqliteMessageStore after SIGKILL', () => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture();
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('keeps every message whose insert had resolved, and ids stay above them', async () => {
    // `--import tsx` runs the TypeScript child in ONE process (the tsx CLI would add a wrapper process).
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-writer.ts'), fx.path], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`child acknowledged only ${acked.length}: ${stderr}`));
      }, 15_000);
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 3000) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    const store = fx.open();
    const missing: string[] = [];
    for (const id of acked) if ((await store.get(id)) === undefined) missing.push(id);
    expect(missing).toEqual([]);
    const maxAcked = Math.max(...acked.map(Number));
    expect(Number(store.nextId())).toBeGreaterThan(maxAcked);
    expect(store.stats().unfinished).toBeGreaterThanOrEqual(acked.length);
  });
});
