import type { Observable } from 'rxjs';
import type { CloseReason } from '../../protocols/session/types';
import { RawWire } from '../protocols/ucp/loopback';

/** A probe the session must answer: the exact request and answer text, given the probe's index. */
export interface Probe {
  request: string;
  answer: string;
}

export interface FuzzTally {
  answered: number;
  closed: number;
  /** Every other frame the session wrote while the probes were outstanding: the caller checks their shape. */
  others: string[];
}

/**
 * Sends each mutated frame over a raw link, then a probe, and reads until the probe's answer or the close (then
 * opens a fresh link). A probe neither answered within `maxReadsPerProbe` frames nor closed fails the run: no
 * stall passes. `cleanup` gets the last link in a finally, whatever happened.
 */
export async function fuzzLink(p: {
  frames: readonly Buffer[];
  open: () => Promise<RawWire>;
  probe: (i: number) => Probe;
  cleanup: (last: RawWire) => Promise<void>;
  maxReadsPerProbe?: number;
}): Promise<FuzzTally> {
  const maxReads = p.maxReadsPerProbe ?? 20;
  const tally: FuzzTally = { answered: 0, closed: 0, others: [] };
  let w = await p.open();
  try {
    for (let i = 0; i < p.frames.length; i++) {
      w.send(p.frames[i]!);
      const { request, answer } = p.probe(i);
      w.send(request);
      let outcome: 'answered' | 'closed' | undefined;
      for (let k = 0; k < maxReads && outcome === undefined; k++) {
        const r = await w.nextOrClose(3000);
        if (r.kind === 'closed') outcome = 'closed';
        else if (r.frame === answer) outcome = 'answered';
        else tally.others.push(r.frame);
      }
      if (outcome === undefined) throw new Error(`probe ${request} not answered within ${maxReads} frames`);
      tally[outcome]++;
      if (outcome === 'closed') w = await p.open();
    }
  } finally {
    await p.cleanup(w);
  }
  if (process.env.FUZZ_DEBUG) console.log(JSON.stringify({ answered: tally.answered, closed: tally.closed }), tally.others.length);
  return tally;
}

/** Every mutated frame was accounted for, some were answered, and every other frame matched the protocol's shape. */
export function expectTally(tally: FuzzTally, frames: number, shape: RegExp): void {
  expect(tally.answered + tally.closed).toBe(frames);
  expect(tally.answered).toBeGreaterThan(0);
  for (const f of tally.others) expect(f).toMatch(shape);
}

/**
 * STX and 5000 bytes with no ETX: the server session must close with a frame error (the framer's bound), not
 * buffer without limit. `ended` is the session's close-reason promise.
 */
export async function expectEndlessFrameCloses<S>(
  server: { sessions$: Observable<S>; listen(): Promise<{ port: number }>; close(): Promise<void> },
  ended: (s: S) => Promise<CloseReason>,
): Promise<void> {
  const reasons: Array<Promise<CloseReason>> = [];
  server.sessions$.subscribe((s) => reasons.push(ended(s)));
  const { port } = await server.listen();
  const w = await RawWire.connect(port);
  try {
    w.send(Buffer.concat([Buffer.from([0x02]), Buffer.alloc(5000, 0x41)]));
    await w.closed;
    expect(reasons).toHaveLength(1);
    await expect(reasons[0]).resolves.toMatchObject({ kind: 'frame_error' });
  } finally {
    w.destroy();
    await server.close();
  }
}
