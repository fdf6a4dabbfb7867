// The `netpol` command: reads files and servers, hands `{ path, text }` documents to the engine, prints reports.
// Only the invoked command's module is loaded (the engine alone takes ~150 ms to load, the Kubernetes client
// ~550 ms), so `netpol --version` and `netpol --help` load none and answer at once.
import { Command } from 'commander';
import { COMMANDS, commandToLoad, exitCodesHelp } from './registry.js';

// A reader that stops early (`netpol list … | head`) closes the pipe: without this listener the stream's EPIPE 'error'
// event would end the process with a stack trace. The writes drop the rest (src/stdout.ts) and the exit code stays the
// command's own (a `check` piped to `head` must still fail the job). Here, not in stdout.ts: that is in a chunk that
// loads the engine, and `--version` must not.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

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
