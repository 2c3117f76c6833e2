// `switchboard drain|undrain|restart <node>` and `switchboard rollout restart|resume|abandon|status`:
// the fleet actions for scripts, with the same guard rails and audit log as the console.
// Progress goes to stdout; the outcome of a refusal or failure is one line on stderr.
// Exit codes: 0 done, 1 failed, 2 usage, 3 refused by a guard rail, 4 rollout paused.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConsoleCore, startLiveConsole } from '../core';
import type { LiveConsole } from '../core';
import { AuditLog, CommandService } from '../core/commands';
import type { ActionKind, ActionPreview, ActionRecord, RolloutPlan } from '../core/commands';
import { intOption } from './options';
import { UsageError } from './usageError';

export const DEFAULT_AUDIT_FILE = 'switchboard-audit.jsonl';
export const DEFAULT_STATE_FILE = 'switchboard-rollout.json';
const EXIT = { failed: 1, refused: 3, paused: 4 } as const;

interface Common { fleet?: string; reason?: string; auditFile: string; wait: number }
interface ActionOpts extends Common { deadline?: number; rate?: number; force?: boolean; dryRun?: boolean; maxUnavailable: number }
interface RolloutOpts extends Common {
  stateFile: string; maxUnavailable: number; deadline?: number; rate?: number; nodes?: string; order: string;
  healthyWindow: number; maxLagMs?: number; maxReconnects?: number; comeBackTimeout: number;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** Adds the action commands to the program. */
export function registerActions(program: Command): void {
  for (const kind of ['drain', 'undrain', 'restart'] as const) {
    const c = program
      .command(kind)
      .description(`${kind} one node through its admin API, behind the guard rails; audited (exit 0 done, 1 failed, 3 refused)`)
      .argument('<node_id>', 'the node, as the fleet file names it (node_id label)');
    common(c);
    if (kind !== 'undrain') {
      c.option('--deadline <seconds>', 'force-close what is left after this (default 120)', intOption(1, 86_400))
        .option('--rate <n>', 'disconnects per second at most (default 50)', intOption(1, 1_000_000))
        .option('--force', 'act although the capacity rail fails (the reason is audited with it)');
    }
    c.option('--max-unavailable <n>', 'nodes that may be unavailable at once', intOption(1, 1000), 1)
      .option('--dry-run', 'print the preview and the guard rails, send nothing')
      .action((node: string, o: ActionOpts) => runAction(kind, node, o));
  }
  const rollout = program.command('rollout').description('rolling restart of the fleet, node by node');
  const restart = rollout.command('restart').description('restart every node (or --nodes) in turn: drain, restart, back with a new boot id, a healthy window');
  common(restart);
  stateFile(restart)
    .option('--max-unavailable <n>', 'nodes restarted at once', intOption(1, 1000), 1)
    .option('--deadline <seconds>', 'per node drain deadline (default 120)', intOption(1, 86_400))
    .option('--rate <n>', 'per node disconnects per second (default 50)', intOption(1, 1_000_000))
    .option('--nodes <ids>', 'comma-separated selection (default: every node)')
    .option('--order <order>', 'fewest (connections first) or given (the order of --nodes)', 'fewest')
    .option('--healthy-window <seconds>', 'fleet SLOs must hold this long after each node is back', intOption(0, 3600), 5)
    .option('--max-lag-ms <ms>', 'pub/sub lag p99 above this pauses the rollout (default 500)', intOption(1, 10_000_000))
    .option('--max-reconnects <n>', 'fleet reconnects per second above this pause it (default: the fleet rate now + 2 × rate + 10)', intOption(1, 1_000_000_000))
    .option('--come-back-timeout <seconds>', 'a restarted node must be back within this', intOption(1, 3600), 60)
    .action((o: RolloutOpts) => runRollout('restart', o));
  const resume = rollout.command('resume').description('resume a paused or interrupted rollout from its state file');
  stateFile(common(resume)).action((o: RolloutOpts) => runRollout('resume', o));
  const abandon = rollout.command('abandon').description('give up a paused or interrupted rollout (no node is touched); audited');
  stateFile(abandon.option('--reason <text>', 'why (required; audited)').option('--audit-file <file>', 'audit log', DEFAULT_AUDIT_FILE)).action((o: RolloutOpts) => abandonRollout(o));
  stateFile(rollout.command('status').description('print the rollout kept in the state file')).action((o: RolloutOpts) => printStatus(o));
}

function common(c: Command): Command {
  return c
    .option('--fleet <file>', 'Prometheus file_sd file; its .credentials.json beside it holds the tokens')
    .option('--reason <text>', 'why (required; audited)')
    .option('--audit-file <file>', 'audit log (JSON lines, hash-chained)', DEFAULT_AUDIT_FILE)
    .option('--wait <seconds>', 'wait at most this long to see every node', intOption(1, 600), 15);
}

function stateFile(c: Command): Command {
  return c.option('--state-file <file>', 'where the rollout plan is kept (survives a console restart)', DEFAULT_STATE_FILE);
}

function required(o: Common, needFleet: boolean): { fleet: string; reason: string } {
  if (needFleet && !o.fleet) throw new UsageError('--fleet <file> is required: the file_sd file of the fleet to act on');
  if (!o.reason || o.reason.trim().length < 3) throw new UsageError('--reason <text> is required: say why, in at least 3 characters (it goes to the audit log)');
  const fleet = needFleet ? path.resolve(o.fleet as string) : '';
  if (needFleet && !existsSync(fleet)) throw new UsageError(`no fleet file at ${fleet}`);
  return { fleet, reason: o.reason.trim() };
}

/** A live console on the fleet file, once every node is seen (bounded), and the command service on it. */
async function withService<T>(fleet: string, o: Common, state: string | null, fn: (svc: CommandService, live: LiveConsole) => Promise<T>): Promise<T> {
  const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleet }, scrape: { intervalMs: 1000 }, streamIdleTimeoutMs: 6000 });
  const svc = new CommandService({ core: live.core, audit: new AuditLog(path.resolve(o.auditFile)), stateFile: state });
  try {
    const until = Date.now() + o.wait * 1000;
    // Settled: a node's first scrape can land before its first vitals and read as stale for a moment.
    const seen = () => [...live.core.ingest.nodes.values()].every((m) => m.figures !== null && m.health !== 'unknown' && m.health !== 'stale');
    while (Date.now() < until && (live.core.ingest.nodes.size === 0 || !seen())) await sleep(200);
    const inv = await live.core.getInventory();
    if (live.core.ingest.nodes.size === 0) throw new UsageError(`the fleet file ${fleet} gives no node${inv.ok && inv.value.lastError ? `: ${inv.value.lastError}` : ''}`);
    out(`fleet: ${svc.view().nodes.map((n) => `${n.id} ${n.health} ${n.connections.total}/${n.limit ?? '?'}`).join(', ')}`);
    return await fn(svc, live);
  } finally {
    await svc.stop();
    await live.stop();
  }
}

async function runAction(kind: ActionKind, node: string, o: ActionOpts): Promise<void> {
  const { fleet, reason } = required(o, true);
  const req = { kind, node, reason, deadlineSeconds: o.deadline, disconnectRatePerSecond: o.rate, force: o.force === true };
  await withService(fleet, o, null, async (svc) => {
    const ctx = { maxUnavailable: o.maxUnavailable };
    const p = svc.preview(req, ctx);
    if (!p.ok) throw new UsageError(p.message);
    printPreview(p.value.preview);
    if (o.dryRun) {
      out(p.value.preview.allowed ? 'dry run: the guard rails pass; nothing was sent' : `dry run: would be refused by ${p.value.preview.refusal ?? '?'}`);
      return;
    }
    const stopFollow = followActions(svc);
    // What was printed is what runs (judged again on the fleet as it is now).
    const started = await svc.confirm(p.value.id);
    if (!started.ok) throw new UsageError(started.message);
    const r0 = started.value;
    if (r0.state === 'refused') throw new UsageError(`${kind} of ${node} refused by ${r0.error ?? 'a guard rail'} (audited in ${o.auditFile})`, EXIT.refused);
    const unhook = onInterrupt(async () => {
      if (kind === 'restart') return out(`a restart cannot be aborted: ${node} exits when drained; still watching (Ctrl-C again to stop watching)`);
      out(`interrupted: aborting the ${kind} of ${node}`);
      await svc.abort(r0.id, 'interrupted from the command line (SIGINT)');
    });
    const r = await svc.wait(r0.id).finally(unhook);
    stopFollow();
    if (r.state === 'aborted') throw new UsageError(`${kind} of ${node} aborted: ${r.error ?? `${node} was undrained; connections not yet moved stay on it`}`, EXIT.failed);
    if (r.state !== 'succeeded') throw new UsageError(`${kind} of ${node} ${r.state}: ${r.error ?? 'see the audit log'}`, EXIT.failed);
    out(`${kind} of ${node} succeeded in ${seconds((r.finishedAt ?? r.startedAt) - r.startedAt)} s${r.bootIdAfter ? ` (boot ${r.bootIdBefore ?? '?'} → ${r.bootIdAfter})` : ''}; audited in ${o.auditFile}`);
  });
}

function printPreview(p: ActionPreview): void {
  if (p.kind !== 'undrain') {
    out(`${p.kind} ${p.node}: ${p.connectionsMoving} connections move at most ${p.disconnectRatePerSecond}/s (about ${p.expectedDrainSeconds} s, deadline ${p.deadlineSeconds} s${p.forceClosedAtDeadline > 0 ? `, ${p.forceClosedAtDeadline} force-closed then` : ''}); expected reconnects ${p.expectedReconnectsPerSec}/s`);
    for (const d of p.destinations) out(`  ${d.node}: ${d.connectionsNow} → ${d.connectionsAfter} of ${d.limit} (${Math.round(d.utilizationAfter * 1000) / 10}%)`);
  }
  for (const c of p.checks) out(`  ${c.ok ? 'pass' : p.forced && c.overridable ? 'FORCED' : 'FAIL'} ${c.rule}: ${c.message}`);
}

/** Prints each action's new steps, and its drain progress at most once a second. */
function followActions(svc: CommandService): () => void {
  const printed = new Map<string, number>();
  let lastProgress = 0;
  let lastAt = 0;
  return svc.onUpdate((u) => {
    if (u.type !== 'action') return;
    const r: ActionRecord = u.action;
    const from = printed.get(r.id) ?? 0;
    for (const s of r.steps.slice(from)) out(`${clock(s.at)} ${r.kind} ${r.node}: ${s.what}`);
    printed.set(r.id, r.steps.length);
    const p = r.progress;
    if (p && p.at !== lastAt && r.state === 'running' && Date.now() - lastProgress >= 1000) {
      lastProgress = Date.now();
      lastAt = p.at;
      out(`${clock(p.at)} ${r.node}: ${p.remaining} connections left at ${p.ratePerSec}/s, ETA ${p.etaSeconds ?? '?'} s (${p.source})`);
    }
  });
}

async function runRollout(mode: 'restart' | 'resume', o: RolloutOpts): Promise<void> {
  const { fleet, reason } = required(o, true);
  const state = path.resolve(o.stateFile);
  if (mode === 'restart' && o.order !== 'fewest' && o.order !== 'given') throw new UsageError(`--order must be fewest or given, got "${o.order}"`);
  await withService(fleet, o, state, async (svc) => {
    const stopActions = followActions(svc);
    const stopPlan = followPlan(svc);
    let r;
    if (mode === 'restart') {
      r = await svc.rolloutRestart({
        reason, nodes: o.nodes ? o.nodes.split(',').map((s) => s.trim()).filter(Boolean) : undefined, order: o.order === 'given' ? 'given' : 'fewest_connections',
        maxUnavailable: o.maxUnavailable, deadlineSeconds: o.deadline, disconnectRatePerSecond: o.rate, healthyWindowMs: o.healthyWindow * 1000,
        maxLagP99Ms: o.maxLagMs, maxReconnectsPerSec: o.maxReconnects, comeBackTimeoutMs: o.comeBackTimeout * 1000,
      });
    } else {
      const p = svc.rollout();
      if (p?.state === 'paused') out(`resuming rollout ${p.id} (${p.pauseReason ?? 'paused'})`);
      r = await svc.resumeRollout(reason);
    }
    if (!r.ok) throw new UsageError(`rollout ${mode} refused: ${r.message}`, r.code === 'forbidden' ? EXIT.refused : 2);
    const unhook = onInterrupt(async () => {
      out('interrupted: pausing the rollout (its state stays in the state file)');
      await svc.pauseRollout('interrupted from the command line (SIGINT)');
    });
    const end = await svc.waitRollout().finally(unhook);
    stopActions();
    stopPlan();
    if (!end) throw new UsageError('the rollout vanished', EXIT.failed);
    if (end.state === 'paused') throw new UsageError(`rollout ${end.id} paused: ${end.pauseReason ?? '?'}; state kept in ${state}: \`switchboard rollout resume\` or \`rollout abandon\``, EXIT.paused);
    if (end.state !== 'succeeded') throw new UsageError(`rollout ${end.id} ${end.state}`, EXIT.failed);
    out(`rollout ${end.id} succeeded: ${end.nodes.map((n) => `${n.id} ${n.bootIdBefore ?? '?'} → ${n.bootIdAfter ?? '?'}`).join(', ')}; audited in ${o.auditFile}`);
  });
}

function followPlan(svc: CommandService): () => void {
  let last: { at: number; what: string } | null = null;
  return svc.onUpdate((u) => {
    if (u.type !== 'rollout') return;
    const steps = u.rollout.steps;
    const i = last ? steps.findIndex((s) => s.at === last?.at && s.what === last.what) : -1;
    for (const s of steps.slice(i + 1)) out(`${clock(s.at)} rollout: ${s.what}`);
    const tail = steps[steps.length - 1];
    if (tail) last = { at: tail.at, what: tail.what };
  });
}

async function abandonRollout(o: RolloutOpts): Promise<void> {
  const { reason } = required(o, false);
  // Abandoning sends nothing to any node: a console without sources holds the service.
  const svc = new CommandService({ core: new ConsoleCore(), audit: new AuditLog(path.resolve(o.auditFile)), stateFile: path.resolve(o.stateFile) });
  if (svc.rollouts.loadError) throw new UsageError(svc.rollouts.loadError);
  const r = await svc.abandonRollout(reason);
  if (!r.ok) throw new UsageError(`rollout abandon refused: ${r.message}`, r.code === 'forbidden' ? EXIT.refused : 2);
  out(`rollout ${r.value.id} abandoned: ${r.value.steps[r.value.steps.length - 1]?.what ?? ''}`);
}

function printStatus(o: RolloutOpts): void {
  const svc = new CommandService({ core: new ConsoleCore(), audit: new AuditLog(path.resolve(DEFAULT_AUDIT_FILE)), stateFile: path.resolve(o.stateFile) });
  if (svc.rollouts.loadError) throw new UsageError(svc.rollouts.loadError);
  const p: RolloutPlan | null = svc.rollout();
  if (!p) return out(`no rollout in ${o.stateFile}`);
  out(`rollout ${p.id} by ${p.actor}: ${p.state}${p.interrupted ? ' (interrupted)' : ''}${p.pauseReason ? `: ${p.pauseReason}` : ''}`);
  for (const n of p.nodes) out(`  ${n.id}: ${n.phase}${n.bootIdAfter ? ` (boot ${n.bootIdBefore ?? '?'} → ${n.bootIdAfter})` : ''}`);
}

/** First Ctrl-C runs `fn` (abort or pause); a second one exits at once. Returns the unhook. */
function onInterrupt(fn: () => Promise<void> | void): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count > 1) process.exit(130);
    void Promise.resolve(fn()).catch((err: Error) => out(`could not stop cleanly: ${err.message}`));
  };
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
}

const seconds = (ms: number): string => (Math.round(ms / 100) / 10).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
