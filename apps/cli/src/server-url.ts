// The Netpol Atlas server a command talks to: `--server`, else $NETPOL_SERVER, else the default. Every command
// (push, diff, check, collect --push) validates it the same way, before any work.
import { InvalidArgumentError } from 'commander';

export const DEFAULT_SERVER = 'http://localhost:3000';

/** Why `text` is not a usable server URL; undefined when it is one. */
export function serverUrlProblem(text: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '') return undefined;
  // `localhost:4101` parses as a URL with the scheme `localhost:`: say what was probably meant.
  const hint = /^[\w.-]+(:\d+)?(\/.*)?$/.test(text) ? ` (did you mean http://${text}?)` : '';
  return `expected an http(s) URL, e.g. ${DEFAULT_SERVER}${hint}`;
}

/** Commander option parser for `--server <url>`: the URL as given (without trailing slashes). */
export function parseServerUrl(text: string): string {
  const problem = serverUrlProblem(text);
  if (problem) throw new InvalidArgumentError(problem);
  return text.replace(/\/+$/, '');
}

export class ServerUrlError extends Error {}

/** The server to use: the option (already checked by parseServerUrl), else $NETPOL_SERVER (checked here), else the default. */
export function resolveServer(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined) return option;
  const fromEnv = env.NETPOL_SERVER;
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_SERVER;
  const problem = serverUrlProblem(fromEnv);
  if (problem) throw new ServerUrlError(`NETPOL_SERVER=${fromEnv}: ${problem}`);
  return fromEnv.replace(/\/+$/, '');
}
