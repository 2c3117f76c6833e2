/**
 * Where a fleet file's credentials live: beside it, `fleet.json` → `fleet.credentials.json`
 * (a name without `.json` just gets `.credentials.json` appended). Tokens are never put in
 * the file_sd labels, which Prometheus and others may show or forward.
 */
export function credentialsPathFor(fleetFile: string): string {
  return fleetFile.endsWith('.json') ? `${fleetFile.slice(0, -5)}.credentials.json` : `${fleetFile}.credentials.json`;
}

/** One target group of a Prometheus file_sd file, as the demo writes it. */
export interface FileSdGroup {
  targets: string[];
  labels?: Record<string, string>;
}

/** The demo's credentials file (mode 0600). */
export interface FleetCredentials {
  readToken: string;
  adminToken: string;
}
