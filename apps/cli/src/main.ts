// The `netpol` command: reads files and servers, hands `{ path, text }` documents to the engine, prints reports.
import { Command } from 'commander';
import { checkCommand } from './commands/check.js';
import { collectCommand } from './commands/collect.js';
import { diffCommand } from './commands/diff.js';
import { evalCommand } from './commands/eval.js';
import { lintCommand } from './commands/lint.js';
import { listCommand } from './commands/list.js';
import { probePlanCommand } from './commands/probe-plan.js';
import { pushCommand } from './commands/push.js';
import { reportCommand } from './commands/report.js';
import { verifyCommand } from './commands/verify.js';

const program = new Command();
program
  .name('netpol')
  .description('Netpol Atlas: Kubernetes NetworkPolicy analysis (connectivity, explanations, exposure, diffs)')
  .version('0.1.0');

program.addCommand(listCommand());
program.addCommand(evalCommand());
program.addCommand(collectCommand());
program.addCommand(diffCommand());
program.addCommand(checkCommand());
program.addCommand(pushCommand());
program.addCommand(lintCommand());
program.addCommand(probePlanCommand());
program.addCommand(reportCommand());
program.addCommand(verifyCommand());

await program.parseAsync(process.argv);
