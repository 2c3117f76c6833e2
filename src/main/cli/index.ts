import { Command, CommanderError } from 'commander';
import { registerGateway } from './gatewayCommand';
import { registerDemo } from './demoCommand';
import { registerScrape } from './scrapeCommand';
import { registerServe } from './serveCommand';
import { registerRecord } from './recordCommand';
import { registerReplay } from './replayCommand';
import { registerExport } from './exportCommand';
import { registerActions } from './actionCommands';
import { registerAudit } from './auditCommand';

import { UsageError } from './usageError';

export { UsageError };

/** Builds the `switchboard` program; each subcommand lives in its own `<name>Command.ts`. */
export function buildProgram(): Command {
  const program = new Command('switchboard')
    .description('Operations console for realtime gateway fleets')
    .showHelpAfterError()
    .exitOverride();
  registerGateway(program);
  registerDemo(program);
  registerScrape(program);
  registerServe(program);
  registerRecord(program);
  registerReplay(program);
  registerExport(program);
  registerActions(program);
  registerAudit(program);
  return program;
}

/** Entry point of bin/switchboard.cjs. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
