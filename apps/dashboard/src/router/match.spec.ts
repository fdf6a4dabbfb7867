import { describe, expect, it } from 'vitest';
import { buildPath, findRoute, matchPath } from './match.js';

describe('matchPath', () => {
  it('matches literal paths and ignores a trailing slash', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/snapshots/:id', '/snapshots/abc/')).toEqual({ id: 'abc' });
  });

  it('decodes parameters and rejects malformed ones', () => {
    expect(matchPath('/clusters/:name', '/clusters/a%2Fb')).toEqual({ name: 'a/b' });
    expect(matchPath('/clusters/:name', '/clusters/%E0%A4%A')).toBeUndefined();
  });

  it('requires the same number of segments and equal literals', () => {
    expect(matchPath('/snapshots/:id', '/snapshots')).toBeUndefined();
    expect(matchPath('/snapshots/:id', '/snapshots/a/b')).toBeUndefined();
    expect(matchPath('/snapshots/:id', '/clusters/a')).toBeUndefined();
  });
});

describe('findRoute', () => {
  const routes = [
    { pattern: '/', view: 'home' },
    { pattern: '/snapshots/:id', view: 'snapshot' },
  ];
  it('returns the first matching route with its parameters', () => {
    expect(findRoute(routes, '/snapshots/42')).toEqual({ route: routes[1], params: { id: '42' } });
    expect(findRoute(routes, '/nope')).toBeUndefined();
  });
});

describe('buildPath', () => {
  it('encodes parameters so that matchPath gets them back', () => {
    const path = buildPath('/clusters/:name', { name: 'prod eu/1' });
    expect(path).toBe('/clusters/prod%20eu%2F1');
    expect(matchPath('/clusters/:name', path)).toEqual({ name: 'prod eu/1' });
  });
  it('fails on a missing parameter', () => {
    expect(() => buildPath('/snapshots/:id')).toThrow(/Missing route parameter :id/);
  });
});
