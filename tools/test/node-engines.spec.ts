// The README promises Node 20: every dependency `npm ls` resolves, production and dev (`npm ci` installs both), must
// declare an `engines.node` range that holds for every Node 20 release the root package.json accepts (npm ci would
// print EBADENGINE otherwise; GraphQL Code Generator's loaders are pinned back by `overrides` in package.json).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { engines: { node: string } };

interface LsNode {
  readonly version?: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Record<string, LsNode>;
}

/** `name@version needs <range>` for every resolved dependency whose range leaves out part of `supported`. */
function engineConflicts(tree: LsNode, supported: string): string[] {
  const conflicts = new Set<string>();
  const walk = (node: LsNode) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      const range = child.engines?.node;
      if (range && !semver.subset(supported, range)) conflicts.add(`${name}@${child.version} needs node ${range}`);
      walk(child);
    }
  };
  walk(tree);
  return [...conflicts].sort();
}

describe('Node engines', () => {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const readmeMajor = Number(/with Node (\d+) and npm/.exec(readme)?.[1]);
  const minimum = semver.minVersion(pkg.engines.node);

  it("the root engines range starts on the README's Node major", () => {
    expect(readmeMajor).toBe(20);
    expect(minimum?.major).toBe(readmeMajor);
  });

  it.each([
    ['production', ['--omit=dev']],
    ['production and dev', []],
  ])('npm ls over the %s dependencies reports no engine conflict with that Node line', (_which, omit) => {
    const json = execFileSync('npm', ['ls', ...omit, '--all', '--long', '--json'], {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const tree = JSON.parse(json) as LsNode;
    expect(Object.keys(tree.dependencies ?? {}).length).toBeGreaterThan(10);
    // The dev run does walk the dev tree (where GraphQL Code Generator's Node 22 loaders were).
    expect(tree.dependencies?.['@graphql-codegen/cli'] !== undefined).toBe(omit.length === 0);
    // Every Node 20 release from the declared minimum on.
    const supported = `^${minimum?.version}`;
    expect(engineConflicts(tree, supported)).toEqual([]);
    // The checker does catch a conflict (file-type 22 needs Node 22).
    expect(engineConflicts({ dependencies: { 'file-type': { version: '22.3.0', engines: { node: '>=22' } } } }, supported)).toEqual([
      'file-type@22.3.0 needs node >=22',
    ]);
  });
});
