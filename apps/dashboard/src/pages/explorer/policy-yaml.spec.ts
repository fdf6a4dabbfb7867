import { describe, expect, it } from 'vitest';
import { highlightLine, pathKeys, ruleSpans, spansOfRules } from './policy-yaml.js';

const YAML = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-egress
  namespace: production
spec:
  podSelector:
    matchLabels:
      app: backend
  policyTypes:
    - Egress
  egress:
    - ports:
        - protocol: UDP
          port: 53
      to: []
    - to:
        - podSelector:
            matchLabels:
              app: database
      ports:
        - protocol: TCP
          port: 5432
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except:
              - 10.0.0.0/8
      ports:
        - port: 443
`;

describe('policy YAML', () => {
  it('finds every rule with its 0-based path, its lines and a summary', () => {
    const spans = ruleSpans(YAML);
    expect(spans.map((s) => [s.path, s.firstLine, s.lastLine])).toEqual([
      ['spec.egress[0]', 13, 16],
      ['spec.egress[1]', 17, 23],
      ['spec.egress[2]', 24, 30],
    ]);
    expect(spans[0]?.summary).toBe('to: every peer (pods and IPs) · ports: UDP 53');
    expect(spans[1]?.summary).toBe('to: pods app=database · ports: TCP 5432');
    expect(spans[2]?.summary).toBe('to: ipBlock 0.0.0.0/0 except 10.0.0.0/8 · ports: TCP 443');
  });

  it('has no rules for a policy without any', () => {
    expect(ruleSpans('kind: NetworkPolicy\nspec:\n  podSelector: {}\n')).toEqual([]);
  });

  it('colours keys, strings and numbers', () => {
    expect(highlightLine('  name: backend-egress')).toEqual([
      { kind: 'plain', text: '  ' },
      { kind: 'key', text: 'name' },
      { kind: 'plain', text: ':' },
      { kind: 'string', text: ' backend-egress' },
    ]);
    expect(highlightLine('          port: 53')[3]).toEqual({ kind: 'number', text: ' 53' });
    expect(highlightLine('              - 10.0.0.0/8')).toEqual([{ kind: 'string', text: '              - 10.0.0.0/8' }]);
  });
});

describe('spansOfRules', () => {
  it('finds the lines of each rule path the API names, Cilium deny lists and `specs[i]` included', () => {
    expect(pathKeys('specs[1].egressDeny[0]')).toEqual(['specs', 1, 'egressDeny', 0]);
    const yaml = ['spec:', '  endpointSelector: {}', '  ingress:', '    - fromEndpoints: [{}]', '  egressDeny:', '    - toCIDR:', '        - 10.0.0.0/8', ''].join('\n');
    const spans = spansOfRules(yaml, [
      { path: 'spec.ingress[0]', direction: 'ingress', summary: 'a' },
      { path: 'spec.egressDeny[0]', direction: 'egress', summary: 'b' },
      { path: 'spec.egress[3]', direction: 'egress', summary: 'c' },
    ]);
    expect(spans.map((s) => [s.path, s.firstLine, s.lastLine])).toEqual([
      ['spec.ingress[0]', 4, 4],
      ['spec.egressDeny[0]', 6, 7],
      ['spec.egress[3]', 0, 0],
    ]);
  });
});
