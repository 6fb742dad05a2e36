/**
 * The store's sync thread (durable mode): fdatasyncs the WAL for commits the store worker has made and hands their
 * answers straight to the main thread. On its own thread the sync's completion is seen at once; as a libuv callback
 * in the store worker it waited for the worker's next commit to finish, a whole cycle of latency for every
 * acknowledgement.
 *
 * The store worker posts each committed cycle's answer here; one sync covers every answer that had arrived before
 * it started (each was posted after its commit). Answers that arrive during a sync wait for the next.
 *
 * Protocol (store worker -> here): DoneMsg | { t: 'close' }. (here -> store worker): { t: 'closed' } once every
 * answer received has been synced and forwarded. (here -> main, over `out`): DoneMsg.
 */
import { fdatasyncSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { DoneMsg } from './store-worker';

export interface WalSyncerData {
  /** The -wal file, opened by the store worker, which closes it after { t: 'closed' }. */
  fd: number;
  /** The main thread's end for answers. */
  out: MessagePort;
}

export type ToSyncer = DoneMsg | { t: 'close' };

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('wal-syncer.ts runs only as a worker thread');
  const { fd, out } = workerData as WalSyncerData;
  let syncs = 0;
  let syncMs = 0;
  let syncFailures = 0;
  let closing = false;

  const drainInto = (into: DoneMsg[]): void => {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const msg = m.message as ToSyncer;
      if (msg.t === 'close') closing = true;
      else into.push(msg);
    }
  };

  const run = (first: ToSyncer): void => {
    let batch: DoneMsg[] = [];
    if (first.t === 'close') closing = true;
    else batch.push(first);
    drainInto(batch);
    while (batch.length > 0) {
      const t0 = performance.now();
      let err: string | undefined;
      try {
        fdatasyncSync(fd);
      } catch (e) {
        err = `fdatasync of the WAL failed: ${e instanceof Error ? e.message : String(e)}`;
        syncFailures++;
      }
      syncs++;
      syncMs += performance.now() - t0;
      for (const d of batch) {
        // Committed but not known to be on disk: refused to the callers, who then acknowledge nothing.
        if (err !== undefined) for (let i = 0; i < d.errs.length; i++) d.errs[i] ??= err;
        d.stats.failures += syncFailures;
        d.stats.syncs = syncs;
        d.stats.syncMs = syncMs;
        out.postMessage(d);
      }
      batch = [];
      drainInto(batch);
    }
    if (closing) {
      out.close();
      port.postMessage({ t: 'closed' });
      port.close();
    }
  };
  port.on('message', run);
}

main();
