import type { Observable } from 'rxjs';

/** Turns a byte stream into whole frames. Throws FrameError when the stream can no longer be framed. */
export interface Framer {
  push(chunk: Buffer): Buffer[];
  /** Bytes held that do not yet make a whole frame. */
  readonly buffered: number;
}

export type TransportCloseReason =
  | { kind: 'local' }
  | { kind: 'remote' }
  | { kind: 'error'; error: Error };

/**
 * A framed, batched byte pipe. `frames$` emits whole frames and errors with FrameError when the stream is corrupt;
 * it completes when the connection closes. Writes made in one event-loop turn go out as one socket write.
 */
export interface Transport {
  readonly frames$: Observable<Buffer>;
  readonly closed: Promise<TransportCloseReason>;
  readonly isOpen: boolean;
  /** Queue bytes; they are flushed on the next turn of the event loop. */
  send(buf: Buffer): void;
  /** Queue bytes and resolve once they are handed to the OS (or reject if the connection closes first). */
  write(buf: Buffer): Promise<void>;
  pause(): void;
  resume(): void;
  /** Flush what is queued, then end the connection. */
  close(): Promise<void>;
  /** Drop the connection now. */
  destroy(error?: Error): void;
  readonly remoteAddress: string | undefined;
}
