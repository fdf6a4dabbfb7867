// A snapshot's lint is computed once per held model and judging time in its model thread: the Findings page's counts
// and pages (GraphQL) and its downloads in every format read the same result (model-computations.ts `lintOf`), and
// the pages hold the findings of that result in its order.
import { analyze, formatLint, lint, parseManifests } from '@netpol-atlas/engine';
import { describe, expect, it, vi } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../../libs/engine/bench/synthetic-cluster.js';
import { snapshotContent } from '../ingest/snapshot-content.js';
import { runComputation } from './model-computations.js';
import { modelFromContent } from './snapshot-model.js';
import type { LintFindings, LintSummary } from '../compliance/lint-view.js';

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
    const summary = runComputation({ name: 'lintSummary', at }, [side]) as LintSummary;
    const count = summary.errors + summary.warnings + summary.info;
    const every = runComputation({ name: 'lintFindings', at, query: { order: 'lint', start: 0, count } }, [side]) as LintFindings;
    const json = runComputation({ name: 'lintText', at, format: 'json' }, [side]) as { text: Buffer };
    const sarif = runComputation({ name: 'lintText', at, format: 'sarif' }, [side]) as { text: Buffer };
    expect(vi.mocked(lint)).toHaveBeenCalledTimes(1);
    const result = vi.mocked(lint).mock.results[0]!.value as ReturnType<typeof lint>;
    expect(count).toBeGreaterThan(0);
    expect(every).toEqual({ total: result.findings.length, findings: result.findings });
    expect(json.text.toString('utf8')).toBe(formatLint(result, 'json'));
    expect(sarif.text.toString('utf8')).toBe(formatLint(result, 'sarif'));
    // A page in reading order, filtered: from the same result.
    const warnings = result.findings.filter((f) => f.severity === 'warning');
    const page = runComputation({ name: 'lintFindings', at, query: { order: 'reading', start: 1, count: 2, severity: 'warning' } }, [side]) as LintFindings;
    expect(page.total).toBe(warnings.length);
    expect(page.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(vi.mocked(lint)).toHaveBeenCalledTimes(1);
    runComputation({ name: 'lintSummary', at: '2026-12-02T00:00:00.000Z' }, [side]);
    const rebuilt = modelFromContent(content, {});
    runComputation({ name: 'lintSummary', at }, [{ model: rebuilt, analysis: analyze(rebuilt.snapshot) }]);
    expect(vi.mocked(lint)).toHaveBeenCalledTimes(3);
  });
});
