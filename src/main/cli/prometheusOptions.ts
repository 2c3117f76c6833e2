import path from 'node:path';
import type { Command } from 'commander';
import { builtInProfile } from '../core/profiles';
import type { ConsoleSpec } from '../serve';
import { intOption } from './options';
import { UsageError } from './usageError';

/** The options of Prometheus mode, as commander hands them over. */
export interface PrometheusCliOptions {
  prometheus?: string;
  prometheusTokenFile?: string;
  prometheusUser?: string;
  prometheusPasswordFile?: string;
  prometheusJob?: string;
  prometheusInterval?: number;
  profile?: string;
  readTokenFile?: string;
  adminTokenFile?: string;
}

/** Adds Prometheus mode's options (besides `--prometheus <url>` itself) to a command. */
export function addPrometheusOptions(cmd: Command): Command {
  return cmd
    .option('--prometheus-token-file <file>', 'with --prometheus: file holding a bearer token for Prometheus (or the proxy in front of it)')
    .option('--prometheus-user <name>', 'with --prometheus: basic auth user (password from --prometheus-password-file)')
    .option('--prometheus-password-file <file>', 'with --prometheus: file holding the basic auth password')
    .option('--prometheus-job <job>', 'with --prometheus: only targets of this job are nodes (default: every active target)')
    .option('--prometheus-interval <seconds>', "with --prometheus: Prometheus' scrape interval, and how often the console asks (default 5)", intOption(1, 300))
    .option('--profile <name|file>', 'with --prometheus: metric profile, contract (default), centrifugo, or a JSON profile file')
    .option('--read-token-file <file>', "with --prometheus: the nodes' read token, for the live events of the nodes on screen")
    .option('--admin-token-file <file>', "with --prometheus: the nodes' admin token, for fleet actions");
}

const PROMETHEUS_ONLY: [keyof PrometheusCliOptions, string][] = [
  ['prometheusTokenFile', '--prometheus-token-file'],
  ['prometheusUser', '--prometheus-user'],
  ['prometheusPasswordFile', '--prometheus-password-file'],
  ['prometheusJob', '--prometheus-job'],
  ['prometheusInterval', '--prometheus-interval'],
  ['profile', '--profile'],
  ['readTokenFile', '--read-token-file'],
  ['adminTokenFile', '--admin-token-file'],
];

/**
 * The Prometheus-mode console spec (`--prometheus URL`), or null without `--prometheus`.
 * @throws UsageError for options that do not go together.
 */
export function prometheusSpec(o: PrometheusCliOptions): ConsoleSpec | null {
  if (!o.prometheus) {
    const stray = PROMETHEUS_ONLY.filter(([k]) => o[k] !== undefined).map(([, flag]) => flag);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} go${stray.length === 1 ? 'es' : ''} with --prometheus`);
    return null;
  }
  if (o.prometheusTokenFile && (o.prometheusUser || o.prometheusPasswordFile)) throw new UsageError('give --prometheus-token-file or --prometheus-user with --prometheus-password-file, not both');
  if ((o.prometheusUser === undefined) !== (o.prometheusPasswordFile === undefined)) throw new UsageError('--prometheus-user and --prometheus-password-file go together');
  const abs = (f: string | undefined) => (f === undefined ? undefined : path.resolve(f));
  const profile = o.profile ?? 'contract';
  const interval = (o.prometheusInterval ?? 5) * 1000;
  return {
    kind: 'prometheus',
    profile: builtInProfile(profile) ? profile : path.resolve(profile),
    intervalMs: interval,
    prometheus: {
      url: o.prometheus,
      job: o.prometheusJob,
      bearerTokenFile: abs(o.prometheusTokenFile),
      basicAuth: o.prometheusUser && o.prometheusPasswordFile ? { user: o.prometheusUser, passwordFile: path.resolve(o.prometheusPasswordFile) } : undefined,
      readTokenFile: abs(o.readTokenFile),
      adminTokenFile: abs(o.adminTokenFile),
      authHint: o.prometheusUser ? 'check --prometheus-user and --prometheus-password-file' : 'check --prometheus-token-file',
    },
  };
}
