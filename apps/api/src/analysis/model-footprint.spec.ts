// The model threads' budget charges each model an estimate made before it is built (model-footprint.ts). Measured
// here as the retained heap of a complete model and its analysis, built from a stored 10k-pod content: the estimate
// must cover it (a model larger than charged would let the threads outgrow NETPOL_ANALYSIS_CACHE_MB), and not by an
// order of magnitude (a model charged far more than it holds is evicted for nothing: a 503 for a 50k-pod diff).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze, parseManifests } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../../libs/engine/bench/synthetic-cluster.js';
import { snapshotContent } from '../ingest/snapshot-content.js';
import { MODEL_BYTES_PER_CONTENT_BYTE } from './model-footprint.js';
import { modelFromContent } from './snapshot-model.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('the model budget charges what a model holds', () => {
  it('a complete 10k-pod model with its analysis retains less than MODEL_BYTES_PER_CONTENT_BYTE per content byte, and more than a third of it', () => {
    const cluster = generateSyntheticCluster(SIZE_PRESETS.M, 1);
    const parsed = parseManifests([{ path: 'cluster.json', text: JSON.stringify(cluster.list) }]);
    const content = snapshotContent(parsed.objects).bytes;
    const before = retainedHeap();
    const model = modelFromContent(content, {});
    const analysis = analyze(model.snapshot);
    const perByte = (retainedHeap() - before) / content.length;
    expect(model.errors).toEqual([]);
    expect(analysis.snapshot).toBe(model.snapshot); // both held until measured
    expect(perByte).toBeLessThan(MODEL_BYTES_PER_CONTENT_BYTE);
    expect(perByte).toBeGreaterThan(MODEL_BYTES_PER_CONTENT_BYTE / 3);
  }, 120_000);
});
