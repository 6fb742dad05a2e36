import { EventEmitter } from 'node:events';
import { installSignalHandlers } from '../../gateway/shutdown';

function fakeProcess(): NodeJS.Process {
  return new EventEmitter() as unknown as NodeJS.Process;
}

describe('installSignalHandlers', () => {
  it('SIGTERM stops gracefully then exits 0; a second signal exits at once with 130', async () => {
    const proc = fakeProcess();
    const exits: number[] = [];
    let release!: () => void;
    const stopped = new Promise<void>((r) => (release = r));
    let stops = 0;
    const remove = installSignalHandlers(
      { stop: () => (stops++, stopped), reload: async () => undefined, log: () => undefined, exit: (c) => exits.push(c) },
      proc,
    );
    proc.emit('SIGTERM', 'SIGTERM');
    expect(stops).toBe(1);
    expect(exits).toEqual([]);
    proc.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    release();
    await stopped;
    await Promise.resolve();
    expect(exits).toEqual([130, 0]);
    expect(stops).toBe(1);
    remove();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('SIGHUP reloads and does not stop', () => {
    const proc = fakeProcess();
    let reloads = 0;
    let stops = 0;
    installSignalHandlers(
      { stop: async () => void stops++, reload: async () => void reloads++, log: () => undefined, exit: () => undefined },
      proc,
    );
    proc.emit('SIGHUP');
    proc.emit('SIGHUP');
    expect(reloads).toBe(2);
    expect(stops).toBe(0);
  });
});
