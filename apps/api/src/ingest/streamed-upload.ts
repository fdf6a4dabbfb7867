// The REST body parsed as it arrives: UTF-8 decoded chunk by chunk into the engine's ManifestStream, which splits a
// big JSON List item by item; only each valid object's projection is kept (the stored form), never the body text.
import { ManifestStream, projectObject, type KubeObject } from '@netpol-atlas/engine';
import type { ParsedUpload } from './ingest.service.js';

export class StreamedUpload {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly manifests: ManifestStream<KubeObject>;
  /** Set on the first byte sequence that is not UTF-8; the rest of the body is then only counted. */
  invalidUtf8 = false;

  constructor(file: string) {
    this.manifests = new ManifestStream(file, (parsed) => projectObject(parsed.object));
  }

  write(chunk: Buffer): void {
    if (this.invalidUtf8) return;
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.invalidUtf8 = true;
      return;
    }
    this.manifests.write(text);
  }

  /** The projections and issues (`streamed`: split item by item), or undefined when the body is not UTF-8. */
  end(): (ParsedUpload & { readonly streamed: boolean }) | undefined {
    if (this.invalidUtf8) return undefined;
    try {
      this.manifests.write(this.decoder.decode());
    } catch {
      this.invalidUtf8 = true;
      return undefined;
    }
    const result = this.manifests.end();
    return { projected: result.kept, issues: result.issues, streamed: result.streamed };
  }
}
