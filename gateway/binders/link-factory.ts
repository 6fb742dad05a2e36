import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { ConnectorConfig } from '../../config/schema';
import type { DeepReadonly } from '../../config/load';
import type { LinkFactory } from './link';
import { cimd2LinkFactory } from './cimd2-link';
import { smppLinkFactory } from './smpp-link';
import { ucpLinkFactory } from './ucp-link';

export class UnsupportedProtocolError extends Error {}

function tlsOptions(tls: DeepReadonly<ConnectorConfig['tls']>): ConnectionOptions | undefined {
  if (tls === false) return undefined;
  if (tls === true) return {};
  const o: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized };
  if (tls.ca !== undefined) o.ca = readFileSync(tls.ca);
  if (tls.servername !== undefined) o.servername = tls.servername;
  return o;
}

/** The protocol adapter behind a connector: each maps a part to its protocol's submit and its receipts back. */
export function linkFactoryFor(c: DeepReadonly<ConnectorConfig>): LinkFactory {
  switch (c.protocol) {
    case 'smpp': {
      const o: Parameters<typeof smppLinkFactory>[0] = {
        host: c.host,
        port: c.port,
        systemId: c.systemId,
        password: c.password,
        bindType: c.bindType,
        session: {
          windowSize: c.windowSize,
          responseTimeoutMs: c.responseTimeoutMs,
          enquireLinkIntervalMs: c.enquireLinkIntervalMs,
        },
      };
      if (c.systemType !== undefined) o.systemType = c.systemType;
      const tls = tlsOptions(c.tls);
      if (tls) o.tls = tls;
      return smppLinkFactory(o);
    }
    case 'ucp': {
      const o: Parameters<typeof ucpLinkFactory>[0] = {
        host: c.host,
        port: c.port,
        account: c.systemId,
        password: c.password,
        session: {
          windowSize: Math.min(100, c.windowSize),
          responseTimeoutMs: c.responseTimeoutMs,
          keepAliveIntervalMs: c.enquireLinkIntervalMs,
        },
      };
      const tls = tlsOptions(c.tls);
      if (tls) o.tls = tls;
      return ucpLinkFactory(o);
    }
    case 'cimd2': {
      const o: Parameters<typeof cimd2LinkFactory>[0] = {
        host: c.host,
        port: c.port,
        user: c.systemId,
        password: c.password,
        session: {
          windowSize: Math.min(128, c.windowSize),
          responseTimeoutMs: c.responseTimeoutMs,
          aliveIntervalMs: c.enquireLinkIntervalMs,
        },
      };
      const tls = tlsOptions(c.tls);
      if (tls) o.tls = tls;
      return cimd2LinkFactory(o);
    }
    default:
      throw new UnsupportedProtocolError(`connector ${String((c as { id: string }).id)}: unknown protocol`);
  }
}
