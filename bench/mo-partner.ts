/**
 * bench:mo child: the partner, sync JSON replies, counting only. argv: secret [node|lean]. `node` is the partner
 * simulator (node:http, simulators/partner/server.ts); `lean` the load-test stand-in (simulators/partner/lean-server.ts)
 * that does the same checks for a fraction of the CPU, which on a shared machine is otherwise taken from the gateway.
 */
import { startLeanPartner } from '../simulators/partner/lean-server';
import { startPartnerSimulator } from '../simulators/partner/server';
import { send, type ToChild } from './mo-ipc';

async function main(): Promise<void> {
  const secret = process.argv[2] ?? 'bench-secret-0123456789';
  const sim =
    process.argv[3] === 'lean'
      ? await startLeanPartner({ secret })
      : await startPartnerSimulator({ secret, recordNothing: true, mode: { kind: 'sync', format: 'json' } });
  send({ ev: 'ready', port: sim.port });
  process.on('message', (m: ToChild) => {
    if (m.cmd === 'stats') send({ ev: 'stats', partnerRequests: sim.stats.requests, partnerCpuUs: cpuUs() });
    if (m.cmd === 'stop') void sim.close().then(() => process.exit(0));
  });
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

void main();
