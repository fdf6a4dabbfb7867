// The `netpol` bundle (issue 15: startup): tsc's dist/ (type-checked ES modules, one file per source) bundled into
// dist/bundle/ by rolldown, so a command loads a handful of files instead of some two hundred. main.ts's lazy
// command registry survives as code splitting: netpol.mjs alone answers --version and --help, each command is its
// own chunk, and the engine one shared chunk. Packages that read files next to their own code at run time
// (pdfkit's font metrics) or are large and needed by one command only (the Kubernetes client) stay external.
import { defineConfig } from 'rolldown';

export default defineConfig({
  // parse-worker: the worker thread that reads the tail of a big JSON List (parse-threads.ts).
  input: { netpol: 'dist/main.js', 'parse-worker': 'dist/parse-worker.js' },
  platform: 'node',
  external: [/^node:/, '@kubernetes/client-node', 'pdfkit'],
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    entryFileNames: '[name].mjs',
    chunkFileNames: '[name].mjs',
    codeSplitting: {
      groups: [
        { name: 'engine', test: /[\\/]libs[\\/]engine[\\/]dist[\\/]|[\\/]node_modules[\\/](yaml|ip-num)[\\/]/ },
        // What `--version` and `--help` need (commander) stays apart from what the commands share, which loads the engine.
        { name: 'commander', test: /[\\/]node_modules[\\/]commander[\\/]/ },
        // What every command shares (reading inputs, printing reports, talking to a server): one chunk, not six.
        { name: 'shared', test: /[\\/]apps[\\/]cli[\\/]dist[\\/](?!main\.js|registry\.js|commands[\\/](eval|diff|list|collect)\.js)/, minShareCount: 2 },
      ],
    },
    sourcemap: false,
    cleanDir: true,
  },
});
