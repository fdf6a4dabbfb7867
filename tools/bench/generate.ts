// `node tools/bench/dist/tools/bench/generate.js --size M --seed 1 --out FILE`: writes one synthetic cluster as List JSON and
// prints its counts as one JSON line. Runs in its own process so generation never inflates the measured RSS.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSyntheticCluster, SIZE_PRESETS, type SizeName } from '../../libs/engine/bench/synthetic-cluster.js';

const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } } });
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
console.log(JSON.stringify({ size, seed, bytes: Buffer.byteLength(text), ...cluster.counts }));
