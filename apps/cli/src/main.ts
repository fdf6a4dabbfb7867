// The `netpol` command: reads files and servers, hands `{ path, text }` documents to the engine, prints reports.
import { Command } from 'commander';

const program = new Command();
program
  .name('netpol')
  .description('Netpol Atlas: Kubernetes NetworkPolicy analysis (connectivity, explanations, exposure, diffs)')
  .version('0.1.0');

await program.parseAsync(process.argv);
