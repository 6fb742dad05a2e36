import type { TlsOptions } from 'node:tls';
import { ErrorCode, OpCode } from '../../protocols/cimd2/constants';
import { deliverMessage, readMessage, submitResponse, type Cimd2MessageFields } from '../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../protocols/cimd2/packet';
import { statusReport } from '../../protocols/cimd2/receipt';
import { Cimd2Server } from '../../protocols/cimd2/server';
import type { Cimd2Session } from '../../protocols/cimd2/session';
import type { Cimd2Reply, Cimd2SessionOptions } from '../../protocols/cimd2/session-types';
import type { InboundRequest } from '../../protocols/session/types';
import { partsFromText } from '../../protocols/wire/concat';
import { gsm7Decode } from '../../protocols/wire/gsm7';
import { systemClock, type Clock } from '../../protocols/wire/clock';
import { CIMD2_DLR_OUTCOMES, Cimd2Personas, type Cimd2DlrOutcome, type Cimd2Persona } from './personas';
import { SctsIssuer } from './scts';

export interface Cimd2SimulatorOptions {
  port?: number;
  host?: string;
  user: string;
  password: string;
  persona?: Cimd2Persona;
  clock?: Clock;
  log?: (line: string) => void;
  sessionOptions?: Cimd2SessionOptions;
  /** Serve TLS instead of plain TCP. */
  tls?: TlsOptions;
}

export interface Cimd2SimulatorStats {
  logins: number;
  loginFailures: number;
  submits: number;
  statusReports: number;
  mos: number;
  closes: number;
}

export interface MoInput {
  /** Subscriber (023 originator of the MO). */
  from: string;
  /** Short number (021). */
  to: string;
  text: string;
  tariffClass?: number;
  serviceDescription?: number;
}

export interface Cimd2Simulator {
  readonly port: number;
  readonly stats: Cimd2SimulatorStats;
  readonly sessions: ReadonlySet<Cimd2Session>;
  /** Sends a 20 MO (several with a concatenation UDH when the text is long) on every logged-in session; resolves with the 70s. */
  injectMo(mo: MoInput): Promise<Cimd2Packet[]>;
  close(): Promise<void>;
}

/** A CIMD2 MC on our server session, for tests, the CLI and the benchmark. */
export async function startCimd2Simulator(opts: Cimd2SimulatorOptions): Promise<Cimd2Simulator> {
  const clock = opts.clock ?? systemClock;
  const persona = opts.persona ?? Cimd2Personas.happy;
  const log = opts.log ?? (() => undefined);
  const scts = new SctsIssuer(clock);
  const stats: Cimd2SimulatorStats = { logins: 0, loginFailures: 0, submits: 0, statusReports: 0, mos: 0, closes: 0 };
  const loggedIn = new Set<Cimd2Session>();
  let moRef = 0;
  let windowStart = 0;
  let windowCount = 0;

  const server = new Cimd2Server({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    tls: opts.tls,
    sessionOptions: { clock, aliveIntervalMs: 0, windowSize: 128, ...opts.sessionOptions },
    auth: (req) => {
      const ok = req.user === opts.user && req.password === opts.password;
      if (ok) stats.logins++;
      else stats.loginFailures++;
      log(`login ${ok ? 'ok' : 'refused (100)'} user=${req.user} from=${req.remoteAddress ?? '?'}`);
      return ok ? { ok: true } : { ok: false, errorCode: ErrorCode.INVALID_LOGIN };
    },
  });

  const sendReport = (session: Cimd2Session, destination: string, stamp: string, outcome: Cimd2DlrOutcome): void => {
    const o = CIMD2_DLR_OUTCOMES[outcome];
    if (session.state !== 'logged_in') return;
    stats.statusReports++;
    session
      .send(
        statusReport({
          destination,
          scts: stamp,
          statusCode: o.statusCode,
          statusErrorCode: o.errorCode,
          dischargeTime: scts.next(),
        }),
      )
      .then(
        () => log(`status report ${outcome} id=${destination}:${stamp}`),
        (e: unknown) => log(`status report ${destination}:${stamp} failed: ${(e as Error).name}`),
      );
  };

  const onSubmit = (session: Cimd2Session, req: InboundRequest<Cimd2Packet, Cimd2Reply>): void => {
    stats.submits++;
    switch (persona.kind) {
      case 'noResponseOnSubmit':
        return;
      case 'nackOnSubmit':
        req.respond({ errorCode: persona.code });
        return;
      case 'slow': {
        const now = clock.now();
        if (now - windowStart >= 1000) {
          windowStart = now;
          windowCount = 0;
        }
        if (++windowCount > persona.perSec) {
          req.respond({ errorCode: ErrorCode.TEMPORARY_CONGESTION });
          return;
        }
        break;
      }
      default:
        break;
    }
    const m = readMessage(req.pdu);
    const destination = m.destinations[0] ?? '';
    const stamp = scts.next();
    req.respond({ params: submitResponse(0, destination, stamp).params });
    const outcome: Cimd2DlrOutcome = persona.kind === 'dlrAfter' ? persona.outcome : 'delivered';
    const wanted = ((m.statusReportRequest ?? 0) & CIMD2_DLR_OUTCOMES[outcome].requestBit) !== 0;
    if (!wanted) return;
    if (persona.kind === 'dlrAfter') clock.setTimeout(() => sendReport(session, destination, stamp, outcome), persona.ms);
    else sendReport(session, destination, stamp, outcome);
  };

  server.sessions$.subscribe((session) => {
    session.events$.subscribe((e) => {
      if (e.type === 'bound') {
        loggedIn.add(session);
        if (persona.kind === 'dropAfterLogin') {
          log('dropping the connection after login (dropAfterLogin)');
          // Let the 51 reach the wire first.
          void session.transport.write(Buffer.alloc(0)).finally(() => session.transport.destroy());
        }
      } else if (e.type === 'closed') {
        loggedIn.delete(session);
        stats.closes++;
        log(`close ${e.reason.kind}`);
      }
    });
    session.requests$.subscribe((req) => {
      const op = req.pdu.opCode;
      if (op === OpCode.SUBMIT) onSubmit(session, req);
      else if (op === OpCode.GET) req.respond({ params: [{ code: '501', value: scts.next() }] });
      else req.respond({ errorCode: ErrorCode.CANNOT_FIND_INFORMATION });
    });
  });

  const { port } = await server.listen();
  log(`listening on ${opts.host ?? '127.0.0.1'}:${port} persona=${persona.kind}`);

  const moPackets = (mo: MoInput): Cimd2Packet[] => {
    const split = partsFromText(mo.text, ++moRef & 0xff);
    const stamp = scts.next();
    return split.messages.map((part) => {
      const fields: Cimd2MessageFields = {
        destinations: [mo.to],
        originator: mo.from,
        scts: stamp,
        udh: part.udh,
        tariffClass: mo.tariffClass,
        serviceDescription: mo.serviceDescription,
        ...(split.encoding === 'gsm7' ? { text: gsm7Decode(part.payload) } : { binary: part.payload, dcs: 8 }),
      };
      return deliverMessage(fields);
    });
  };

  return {
    port,
    stats,
    get sessions() {
      return loggedIn;
    },
    async injectMo(mo) {
      const out: Cimd2Packet[] = [];
      for (const session of [...loggedIn]) {
        for (const pkt of moPackets(mo)) {
          stats.mos++;
          log(`mo from=${mo.from} to=${mo.to}`);
          out.push(await session.send(pkt));
        }
      }
      return out;
    },
    async close() {
      await server.close();
      log('simulator closed');
    },
  };
}
