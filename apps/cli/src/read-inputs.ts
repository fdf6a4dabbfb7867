// Reads the CLI's inputs into the engine's `{ path, text }` documents: files as given, directories
// recursively (`.yaml`, `.yml`, `.json`, sorted for deterministic output), `-` for stdin.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeManifestBytes, type SourceDocument } from '@netpol-atlas/engine';
import { formatIssue } from './report-io.js';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export async function readInputs(paths: readonly string[]): Promise<SourceDocument[]> {
  const out: SourceDocument[] = [];
  const visited = new Set<string>();
  for (const given of paths) {
    if (given === '-') {
      out.push({ path: '<stdin>', text: await readStdin() });
      continue;
    }
    let info;
    try {
      info = await stat(given);
    } catch {
      throw new InputError(`cannot read ${given}: no such file or directory`);
    }
    if (info.isDirectory()) {
      const before = out.length;
      await walk(given, out, visited);
      if (out.length === before) throw new InputError(`no manifest files (${MANIFEST_EXTENSIONS.join(', ')}) under ${given}`);
    } else out.push({ path: given, text: await readText(given) });
  }
  return out;
}

async function walk(dir: string, out: SourceDocument[], visited: Set<string>): Promise<void> {
  const real = await realpath(dir);
  if (visited.has(real)) return; // a symlink loop
  visited.add(real);
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const full = path.join(dir, name);
    let info;
    try {
      info = await stat(full);
    } catch {
      continue; // a dangling symlink
    }
    if (info.isDirectory()) await walk(full, out, visited);
    else if (info.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
      out.push({ path: full, text: await readText(full) });
    }
  }
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return decode(file, bytes);
}

/** UTF-8 only, as the server: invalid bytes are an INVALID_ENCODING issue, never replacement characters. */
function decode(file: string, bytes: Uint8Array): string {
  const decoded = decodeManifestBytes(file, bytes);
  if ('issue' in decoded) throw new InputError(formatIssue(decoded.issue).replace(/^error: /, '').trimEnd());
  return decoded.text;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decode('<stdin>', Buffer.concat(chunks));
}
