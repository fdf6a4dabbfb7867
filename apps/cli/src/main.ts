// The `netpol` command: reads files and servers, hands `{ path, text }` documents to the engine, prints reports.
// Only the invoked command's module is loaded (the engine alone takes ~150 ms to load, the Kubernetes client
// ~550 ms), so `netpol --version` and `netpol --help` load none and answer at once.
import { Command } from 'commander';
import { COMMANDS, commandToLoad, exitCodesHelp } from './registry.js';

const program = new Command();
program
  .name('netpol')
  .description('Netpol Atlas: Kubernetes NetworkPolicy analysis (connectivity, explanations, exposure, diffs)')
  .version('0.1.0')
  .addHelpText('after', exitCodesHelp());

const invoked = commandToLoad(process.argv.slice(2));
for (const entry of COMMANDS) {
  // The others are placeholders with the summary, enough for `netpol --help` and commander's "unknown command".
  program.addCommand(entry.name === invoked?.name ? (await entry.load())() : new Command(entry.name).description(entry.summary));
}

await program.parseAsync(process.argv);
