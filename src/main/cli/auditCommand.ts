// `switchboard audit verify [--audit-file F]`: checks the hash chain of the audit log of
// fleet actions. Exit 0 when intact, 1 when broken (naming the first broken line and why),
// 2 when the file cannot be read.

import path from 'node:path';
import type { Command } from 'commander';
import { verifyAudit } from '../core/commands';
import { DEFAULT_AUDIT_FILE } from './actionCommands';
import { UsageError } from './usageError';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log of fleet actions');
  audit
    .command('verify')
    .description('check that no record of the audit log was edited, inserted or removed (exit 0 intact, 1 broken)')
    .option('--audit-file <file>', 'audit log (JSON lines, hash-chained)', DEFAULT_AUDIT_FILE)
    .action(async (o: { auditFile: string }) => {
      const file = path.resolve(o.auditFile);
      const v = await verifyAudit(file);
      if (v.ok) {
        process.stdout.write(`audit log ${file} intact: ${v.records} records; last hash ${v.lastHash}\n`);
        return;
      }
      if (v.line === 0) throw new UsageError(v.reason);
      throw new UsageError(`audit log ${file} is broken at line ${v.line}: ${v.reason}`, 1);
    });
}
