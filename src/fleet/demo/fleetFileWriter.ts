import { renameSync, writeFileSync } from 'node:fs';
import type { FileSdGroup, FleetCredentials } from '../../shared/fleetFile';
import { credentialsPathFor } from '../../shared/fleetFile';

export interface DemoTarget {
  nodeId: string;
  region: string;
  clientUrl: string;
  opsHostPort: string;
}

/** Writes `file` (Prometheus file_sd JSON) and its credentials file (0600), each atomically. */
export function writeFleetFile(file: string, targets: readonly DemoTarget[], creds: FleetCredentials): string {
  const groups: FileSdGroup[] = targets.map((t) => ({
    targets: [t.opsHostPort],
    labels: { node_id: t.nodeId, region: t.region, client_url: t.clientUrl, job: 'realtime-gateway' },
  }));
  atomicWrite(file, `${JSON.stringify(groups, null, 2)}\n`, 0o644);
  const credFile = credentialsPathFor(file);
  atomicWrite(credFile, `${JSON.stringify(creds, null, 2)}\n`, 0o600);
  return credFile;
}

function atomicWrite(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}
