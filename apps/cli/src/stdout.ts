// The CLI's stdout: every command's report goes through writeProcessStdout. main.ts listens for the stream's EPIPE.

/**
 * Writes to stdout, awaiting the write (backpressure). Once the reader has closed the pipe (`netpol list … | head`)
 * the rest is dropped quietly, and the command still decides its exit code.
 */
export function writeProcessStdout(chunk: string | Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (chunk.length === 0 || process.stdout.destroyed) return resolve();
    process.stdout.write(chunk, (error?: NodeJS.ErrnoException | null) => {
      if (!error || error.code === 'EPIPE' || process.stdout.destroyed) return resolve();
      reject(error);
    });
  });
}
