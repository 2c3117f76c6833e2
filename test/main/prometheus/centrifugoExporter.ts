import { startHttp } from './contractExporter';
import type { TestHttp } from './contractExporter';

/** Per-second rates the fake Centrifugo counts at, so rate() has a known answer. */
export const CENTRIFUGO_RATES = { pushPublication: 100, brokerPublication: 10, recover: 2 } as const;

const LAG_BUCKETS = ['0.001', '0.005', '0.01', '0.025', '0.05', '0.1', '0.2', '0.5', '1', '2', '5', '10', '+Inf'];

export interface FakeCentrifugo extends TestHttp {
  /** Changes the process start time (a restart, as Centrifugo's process collector shows it). */
  restart(startTimeSeconds: number): void;
}

/**
 * A fake Centrifugo `/metrics` with the names Centrifugo publishes (centrifuge library,
 * namespace `centrifugo`): fixed gauges, counters growing at {@link CENTRIFUGO_RATES},
 * every pub/sub lag observation between 5 and 10 ms.
 */
export async function startFakeCentrifugo(startTimeSeconds: number): Promise<FakeCentrifugo> {
  const t0 = Date.now();
  let started = startTimeSeconds;
  const http = await startHttp((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    const secs = (Date.now() - t0) / 1000;
    const count = (perSec: number) => Math.floor(perSec * secs);
    const lagCount = count(50);
    const inflight = (transport: string, n: number) => `centrifugo_client_connections_inflight{client_name="",client_version="",transport="${transport}"} ${n}`;
    const lines = [
      '# HELP centrifugo_node_num_clients Number of clients connected.',
      '# TYPE centrifugo_node_num_clients gauge',
      'centrifugo_node_num_clients 42',
      '# TYPE centrifugo_node_num_users gauge',
      'centrifugo_node_num_users 30',
      '# TYPE centrifugo_node_num_subscriptions gauge',
      'centrifugo_node_num_subscriptions 77',
      '# TYPE centrifugo_client_connections_inflight gauge',
      inflight('websocket', 30),
      inflight('uni_websocket', 4),
      inflight('sse', 5),
      inflight('http_stream', 3),
      '# TYPE centrifugo_transport_connect_count counter',
      `centrifugo_transport_connect_count{transport="websocket"} ${count(3)}`,
      `centrifugo_transport_connect_count{transport="sse"} ${count(1)}`,
      '# TYPE centrifugo_transport_messages_sent counter',
      `centrifugo_transport_messages_sent{channel_namespace="",frame_type="push_publication",transport="websocket"} ${count(CENTRIFUGO_RATES.pushPublication)}`,
      `centrifugo_transport_messages_sent{channel_namespace="",frame_type="connect",transport="websocket"} ${count(3)}`,
      '# TYPE centrifugo_node_messages_sent_count counter',
      `centrifugo_node_messages_sent_count{channel_namespace="",type="publication"} ${count(CENTRIFUGO_RATES.brokerPublication)}`,
      `centrifugo_node_messages_sent_count{channel_namespace="",type="control"} ${count(1)}`,
      '# TYPE centrifugo_client_recover counter',
      `centrifugo_client_recover{channel_namespace="",recovered="yes"} ${count(CENTRIFUGO_RATES.recover)}`,
      '# TYPE centrifugo_node_pub_sub_lag_seconds histogram',
      ...LAG_BUCKETS.map((le) => `centrifugo_node_pub_sub_lag_seconds_bucket{le="${le}"} ${Number(le) < 0.01 ? 0 : lagCount}`),
      `centrifugo_node_pub_sub_lag_seconds_sum ${(lagCount * 0.008).toFixed(3)}`,
      `centrifugo_node_pub_sub_lag_seconds_count ${lagCount}`,
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${started}`,
      '',
    ];
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n'));
  });
  return { ...http, restart: (s) => void (started = s) };
}
