// Exit codes of `netpol collect`: 0 = snapshot written (possibly with missing resources, reported on stderr and
// in the snapshot); 2 = nothing written (bad usage, kubeconfig, unreachable or failing API server, upload refused
// with 4xx); 1 = the upload failed on the Netpol Atlas server's side (unreachable, 5xx), as `netpol push` does.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 2;
export const EXIT_UPLOAD_SERVER_FAILURE = 1;

export class CollectError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CollectError';
  }
}
