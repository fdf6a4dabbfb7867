// A snapshot's lint is computed once per held model and judging time in its model thread: the Findings page's lint
// (GraphQL) and its downloads in every format read the same result (model-computations.ts `lintOf`).
import { analyze, formatLint, lint, parseManifests } from '@netpol-atlas/engine';
import { describe, expect, it, vi } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../../libs/engine/bench/synthetic-cluster.js';
import { snapshotContent } from '../ingest/snapshot-content.js';
import { runComputation } from './model-computations.js';
import { modelFromContent } from './snapshot-model.js';

vi.mock('@netpol-atlas/engine', async (importOriginal) => {
  const engine = await importOriginal<typeof import('@netpol-atlas/engine')>();
  return { ...engine, lint: vi.fn(engine.lint) };
});

describe('lint in the model thread', () => {
  it('lints once for the lint and every download format of one model and time; another time or model lints again', () => {
    const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 5);
    const content = snapshotContent(parseManifests([{ path: 'c.json', text: JSON.stringify(cluster.list) }]).objects).bytes;
    const model = modelFromContent(content, {});
    const side = { model, analysis: analyze(model.snapshot) };
    const at = '2026-12-01T00:00:00.000Z';
    vi.mocked(lint).mockClear();
    const { result } = runComputation({ name: 'lint', at }, [side]) as { result: ReturnType<typeof lint> };
    const json = runComputation({ name: 'lintText', at, format: 'json' }, [side]) as { text: Buffer };
    const sarif = runComputation({ name: 'lintText', at, format: 'sarif' }, [side]) as { text: Buffer };
    expect(vi.mocked(lint)).toHaveBeenCalledTimes(1);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(json.text.toString('utf8')).toBe(formatLint(result, 'json'));
    expect(sarif.text.toString('utf8')).toBe(formatLint(result, 'sarif'));
    runComputation({ name: 'lint', at: '2026-12-02T00:00:00.000Z' }, [side]);
    const rebuilt = modelFromContent(content, {});
    runComputation({ name: 'lint', at }, [{ model: rebuilt, analysis: analyze(rebuilt.snapshot) }]);
    expect(vi.mocked(lint)).toHaveBeenCalledTimes(3);
  });
});
