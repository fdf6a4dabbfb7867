// An upload body parsed as it arrives: UTF-8 decoded chunk by chunk into ManifestStream, which splits a big JSON
// List item by item; only each valid object's projection is kept (the stored form), never the body text. Pure (no
// I/O), so the server can run it in a worker thread.
import { ManifestStream } from './manifest-stream.js';
import { projectObject } from './projection.js';
import type { Issue, KubeObject } from './types.js';

export interface ProjectedUpload {
  readonly projected: readonly KubeObject[];
  readonly issues: readonly Issue[];
  /** True when a big JSON List was split item by item. */
  readonly streamed: boolean;
}

export class ProjectedUploadStream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly manifests: ManifestStream<KubeObject>;
  /** Set on the first byte sequence that is not UTF-8; the rest of the body is then ignored. */
  invalidUtf8 = false;

  constructor(file: string) {
    this.manifests = new ManifestStream(file, (parsed) => projectObject(parsed.object));
  }

  write(chunk: Uint8Array): void {
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

  /** The projections and issues, or undefined when the body is not UTF-8. */
  end(): ProjectedUpload | undefined {
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
