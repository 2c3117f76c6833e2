/**
 * Test child process: SDK clients (RealtimeClient, WebSocket) in their own process, so the
 * gateway nodes and the console in the test process do not share an event loop with 1,500
 * clients (a stall there would bunch reconnects and blur what the drain rate controls).
 * Driven over IPC by {@link ClientsProcess} in traffic.ts.
 */
import { byNode, checkDelivery, closeClients, startClients } from './traffic';
import type { ChildCommand, ChildReply, Tracked } from './traffic';

let clients: Tracked[] = [];
const reply = (r: ChildReply): void => void process.send?.(r);

process.on('message', (cmd: ChildCommand) => {
  void (async () => {
    try {
      switch (cmd.cmd) {
        case 'start':
          clients = await startClients(cmd.urls, cmd.count, cmd.channels);
          return reply({ type: 'started', byNode: byNode(clients) });
        case 'status':
          return reply({ type: 'status', byNode: byNode(clients), connected: clients.filter((t) => t.client.state === 'connected').length });
        case 'check':
          return reply({ type: 'checked', check: await checkDelivery(clients, cmd.last, cmd.timeoutMs) });
        case 'close':
          await closeClients(clients);
          reply({ type: 'closed' });
          return process.exit(0);
      }
    } catch (err) {
      reply({ type: 'error', message: (err as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
