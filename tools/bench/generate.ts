// `node tools/bench/dist/tools/bench/generate.js --size M --seed 1 --out FILE`: writes one synthetic cluster as List JSON and
// prints its counts as one JSON line. Runs in its own process so generation never inflates the measured RSS.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSyntheticCluster, SIZE_PRESETS, type SizeName } from '../../libs/engine/bench/synthetic-cluster.js';

const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, yaml: { type: 'boolean', default: false } } });
const size = values.size as SizeName;
if (!(size in SIZE_PRESETS) || !values.out) {
  console.error('usage: generate --size S|M|L --seed N --out FILE');
  process.exit(2);
}
const seed = Number(values.seed ?? '1');
const cluster = generateSyntheticCluster(SIZE_PRESETS[size], seed);
// Compact: kubectl indents with 4 spaces, which only adds whitespace (and 2.6× the bytes) to what is parsed.
const text = JSON.stringify(cluster.list);
writeFileSync(values.out, text);
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const YAML11_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);
// --yaml (issue 13): the same objects as multi-document YAML manifests (one document per object, block style,
// plain scalars where YAML 1.1 and 1.2 read them alike), next to the JSON file.
if (values.yaml) writeFileSync(values.out.replace(/\.json$/, '.yaml'), (cluster.list as { items: unknown[] }).items.map((item) => `${yamlBlock(item, '')}\n`).join('---\n'));
console.log(JSON.stringify({ size, seed, bytes: Buffer.byteLength(text), ...cluster.counts }));


function scalar(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) && !YAML11_WORDS.has(value.toLowerCase()) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Block-style YAML of plain data (keys and strings quoted unless plainly safe). */
function yamlBlock(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}[]`;
    return value.map((item) => {
      const body = isNested(item) ? yamlBlock(item, `${indent}  `).slice(indent.length + 2) : scalar(item);
      return `${indent}- ${body}`;
    }).join('\n');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${indent}{}`;
    return entries.map(([key, item]) => {
      const k = scalar(key);
      return isNested(item) ? `${indent}${k}:\n${yamlBlock(item, `${indent}  `)}` : `${indent}${k}: ${scalar(item)}`;
    }).join('\n');
  }
  return `${indent}${scalar(value)}`;
}

function isNested(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
}
