/** bench:mo child: the partner HTTP simulator, sync JSON replies, counting only. */
import { startPartnerSimulator } from '../simulators/partner/server';
import { send, type ToChild } from './mo-ipc';

async function main(): Promise<void> {
  const sim = await startPartnerSimulator({ secret: process.argv[2] ?? 'bench-secret-0123456789', recordNothing: true, mode: { kind: 'sync', format: 'json' } });
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
