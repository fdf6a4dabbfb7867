// An upload body parsed as it arrives: UTF-8 decoded chunk by chunk (one byte per character for ASCII) into
// ManifestStream, which reads it whole at the end (or splits a JSON List past WHOLE_TEXT_CHARS item by item as it
// arrives); only each valid object's projection is kept (the stored form), never a full object. Pure (no I/O), so the
// server can run it in a worker thread. Each projection's JCS text is written as the object is read (while it is
// young and in cache), so the stored content needs no second walk over the objects.
import { Utf8ChunkDecoder } from './encoding.js';
import { ManifestStream, type ManifestStreamOptions } from './manifest-stream.js';
import { projectCanonical, type CanonicalProjection } from './projection.js';
import type { Issue, KubeObject } from './types.js';

export interface ProjectedUpload {
  readonly projected: readonly KubeObject[];
  /** The JCS text of each projection (same index). */
  readonly texts: readonly string[];
  readonly issues: readonly Issue[];
  /** True when a big JSON List was split item by item. */
  readonly streamed: boolean;
}

export class ProjectedUploadStream {
  private readonly decoder = new Utf8ChunkDecoder();
  private readonly manifests: ManifestStream<CanonicalProjection>;
  /** Set on the first byte sequence that is not UTF-8; the rest of the body is then ignored. */
  invalidUtf8 = false;

  constructor(file: string, options?: ManifestStreamOptions) {
    this.manifests = new ManifestStream(file, (parsed) => projectCanonical(parsed.object), options);
  }

  write(chunk: Uint8Array): void {
    if (this.invalidUtf8) return;
    let texts: string[];
    try {
      texts = this.decoder.decode(chunk);
    } catch {
      this.invalidUtf8 = true;
      return;
    }
    for (const text of texts) this.manifests.write(text);
  }

  /** The projections and issues, or undefined when the body is not UTF-8. */
  end(): ProjectedUpload | undefined {
    if (this.invalidUtf8) return undefined;
    try {
      this.manifests.write(this.decoder.end());
    } catch {
      this.invalidUtf8 = true;
      return undefined;
    }
    const result = this.manifests.end();
    const projected: KubeObject[] = new Array(result.kept.length);
    const texts: string[] = new Array(result.kept.length);
    for (let i = 0; i < result.kept.length; i++) {
      projected[i] = result.kept[i]!.projected;
      texts[i] = result.kept[i]!.text;
    }
    return { projected, texts, issues: result.issues, streamed: result.streamed };
  }
}
