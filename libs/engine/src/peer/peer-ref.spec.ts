import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../model/load.js';
import { parsePeerRef, peerSuggestions } from './peer-ref.js';
import { closestNames, editDistance } from './suggest.js';

const demoDir = path.resolve(import.meta.dirname, '../../test/fixtures/demo');
const demo = loadSnapshot(readdirSync(demoDir).sort().map((f) => ({ path: f, text: readFileSync(path.join(demoDir, f), 'utf8') }))).snapshot;

describe('parsePeerRef', () => {
  it('reads ns/name, ns/name[Kind], IPs and bare names', () => {
    expect(parsePeerRef('production/frontend')).toEqual({ peer: { namespace: 'production', name: 'frontend' } });
    expect(parsePeerRef(' production/database[StatefulSet] ')).toEqual({ peer: { namespace: 'production', name: 'database', kind: 'StatefulSet' } });
    expect(parsePeerRef('10.0.0.7')).toEqual({ peer: { ip: '10.0.0.7' } });
    expect(parsePeerRef('fd00::1')).toEqual({ peer: { ip: 'fd00::1' } });
    expect(parsePeerRef('frontend')).toEqual({ bareName: 'frontend' });
    expect(parsePeerRef('a/b/c')).toEqual({ invalid: '"a/b/c" is not a peer: expected ns/name, ns/name[Kind] or an IP address' });
    expect(parsePeerRef('')).toHaveProperty('invalid');
    // An address that does not parse is named as one, not taken for a bare workload name.
    expect(parsePeerRef('10.0.0.300')).toEqual({ invalid: '"10.0.0.300" is not a valid IP address' });
    expect(parsePeerRef('10.0.0')).toEqual({ invalid: '"10.0.0" is not a valid IP address' });
    expect(parsePeerRef('fd00::zz')).toEqual({ invalid: '"fd00::zz" is not a valid IP address' });
    expect(parsePeerRef('backend-2')).toEqual({ bareName: 'backend-2' });
  });
});

describe('peerSuggestions', () => {
  it('a typo in the name: the workload a few edits away', () => {
    expect(peerSuggestions(demo, { namespace: 'production', name: 'frontnd' })).toEqual(['production/frontend[Deployment]']);
    expect(peerSuggestions(demo, { namespace: 'production', name: 'bakend' })).toEqual(['production/backend[Deployment]']);
  });

  it('the right name in the wrong namespace, and a bare name: the namespaced candidates', () => {
    expect(peerSuggestions(demo, { namespace: 'default', name: 'frontend' })).toEqual(['production/frontend[Deployment]']);
    expect(peerSuggestions(demo, { name: 'frontend' })).toEqual(['production/frontend[Deployment]']);
    expect(peerSuggestions(demo, { name: 'frontnd' })).toEqual(['production/frontend[Deployment]']);
  });

  it('nothing close: no suggestion', () => {
    expect(peerSuggestions(demo, { namespace: 'production', name: 'zzz' })).toEqual([]);
  });
});

describe('closestNames', () => {
  it('orders by distance, then name, within the threshold', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestNames('boutiqe', ['demo', 'boutique', 'boutiques'])).toEqual(['boutique', 'boutiques']);
    expect(closestNames('x', ['demo'])).toEqual([]);
  });
});
