// Several dropped files become one upload: YAML documents joined with `---` (JSON is YAML too), and a map from the
// combined document index (and line) back to each file, so located issues name the file, its own document index and
// its own line.
import { parseAllDocuments } from 'yaml';

export interface ManifestFile {
  name: string;
  text: string;
}

export interface Bundle {
  manifests: string;
  format: 'AUTO' | 'YAML';
  /** For combined document i (and a line of the combined text): the file, the document index and the line inside it. */
  locate: (document: number, line?: number) => { file: string; document: number; line?: number } | undefined;
}

const lineCount = (text: string) => text.split('\n').length;

export function bundleFiles(files: readonly ManifestFile[]): Bundle {
  if (files.length === 1) {
    const [only] = files as [ManifestFile];
    return { manifests: only.text, format: 'AUTO', locate: (document, line) => ({ file: only.name, document, ...(line == null ? {} : { line }) }) };
  }
  const texts = files.map((file) => file.text.replace(/\s+$/, ''));
  const starts: { file: string; first: number; count: number; firstLine: number }[] = [];
  let next = 0;
  let nextLine = 1;
  files.forEach((file, i) => {
    const count = Math.max(1, parseAllDocuments(file.text).length);
    starts.push({ file: file.name, first: next, count, firstLine: nextLine });
    next += count;
    // The file's own lines, then the `---` line joining it to the next file.
    nextLine += lineCount(texts[i] ?? '') + 1;
  });
  return {
    manifests: texts.join('\n---\n'),
    format: 'YAML',
    locate: (document, line) => {
      const hit = starts.find((s) => document >= s.first && document < s.first + s.count);
      if (!hit) return undefined;
      return { file: hit.file, document: document - hit.first, ...(line == null ? {} : { line: line - hit.firstLine + 1 }) };
    },
  };
}
