// Several dropped files become one upload: YAML documents joined with `---` (JSON is YAML too), and a map from the
// combined document index back to each file, so located issues name the file and its own document index.
import { parseAllDocuments } from 'yaml';

export interface ManifestFile {
  name: string;
  text: string;
}

export interface Bundle {
  manifests: string;
  format: 'AUTO' | 'YAML';
  /** For combined document i: the file and the document index inside it. */
  locate: (document: number) => { file: string; document: number } | undefined;
}

export function bundleFiles(files: readonly ManifestFile[]): Bundle {
  if (files.length === 1) {
    const [only] = files as [ManifestFile];
    return { manifests: only.text, format: 'AUTO', locate: (document) => ({ file: only.name, document }) };
  }
  const starts: { file: string; first: number; count: number }[] = [];
  let next = 0;
  for (const file of files) {
    const count = Math.max(1, parseAllDocuments(file.text).length);
    starts.push({ file: file.name, first: next, count });
    next += count;
  }
  return {
    manifests: files.map((file) => file.text.replace(/\s+$/, '')).join('\n---\n'),
    format: 'YAML',
    locate: (document) => {
      const hit = starts.find((s) => document >= s.first && document < s.first + s.count);
      return hit ? { file: hit.file, document: document - hit.first } : undefined;
    },
  };
}
