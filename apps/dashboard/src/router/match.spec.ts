import { describe, expect, it } from 'vitest';
import { parseKindSegment, paths, routePatterns } from '../routes.js';
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

describe('policy page paths', () => {
  it('a Kubernetes NetworkPolicy keeps its short URL; other kinds carry theirs; cluster-scoped ones have their own root', () => {
    expect(paths.policy('s', { namespace: 'prod', name: 'deny' })).toBe('/snapshots/s/policies/prod/deny');
    expect(paths.policy('s', { namespace: 'prod', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', name: 'deny' })).toBe('/snapshots/s/policies/prod/deny');
    expect(paths.policy('s', { namespace: 'shop', kind: 'CiliumNetworkPolicy', name: 'web' }, { rule: 'spec.ingress[0]' })).toBe(
      '/snapshots/s/policies/shop/CiliumNetworkPolicy/web?rule=spec.ingress%5B0%5D',
    );
    // Calico's namespaced kind is also NetworkPolicy: its API group qualifies the kind.
    const calico = paths.policy('s', { namespace: 'shop', kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3', name: 'allow-web' });
    expect(calico).toBe('/snapshots/s/policies/shop/NetworkPolicy.projectcalico.org/allow-web');
    expect(matchPath(routePatterns.namespacedPolicy, calico)).toEqual({ id: 's', namespace: 'shop', kind: 'NetworkPolicy.projectcalico.org', name: 'allow-web' });
    expect(parseKindSegment('NetworkPolicy.projectcalico.org')).toEqual({ kind: 'NetworkPolicy', group: 'projectcalico.org' });
    expect(paths.policy('s', { namespace: null, kind: 'AdminNetworkPolicy', name: 'guard' })).toBe('/snapshots/s/cluster-policies/AdminNetworkPolicy/guard');
    expect(paths.policy('s', { namespace: '', kind: 'GlobalNetworkPolicy', name: 'security.block' })).toBe('/snapshots/s/cluster-policies/GlobalNetworkPolicy/security.block');
  });
});
