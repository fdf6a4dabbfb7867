// A Calico selector as a plain label selector, when it is one: a conjunction of `==`, `!=`, `in`, `not in`, `has`
// and `!has` (or `all()`), which Kubernetes label selectors express with the same meaning (`!=` and `not in` match
// an absent key, as NotIn does). Exposure makes representative peers of rule far ends written so; the others (`||`,
// `contains`, `starts with`, `ends with`, negated groups, `global()`) have no label-selector form.
import type { LabelSelectorSpec, SelectorOperator } from '../../algebra/selector.js';
import type { CalicoSelector, CalicoSelectorNode } from './selector/selector.js';

interface Expression {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** The selector as `matchLabels` / `matchExpressions` in written order, or null when it has no such form.
 *  `renameKey` maps a label key (a namespaceSelector's `projectcalico.org/name` is the namespace name). */
export function calicoLabelSelector(selector: CalicoSelector, renameKey: (key: string) => string = (key) => key): LabelSelectorSpec | null {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Expression[] = [];
  const add = (node: CalicoSelectorNode): boolean => {
    switch (node.type) {
      case 'all':
        return true;
      case 'and':
        return node.operands.every(add);
      case 'has':
        matchExpressions.push({ key: renameKey(node.key), operator: 'Exists', values: [] });
        return true;
      case 'in':
        matchExpressions.push({ key: renameKey(node.key), operator: node.negated ? 'NotIn' : 'In', values: node.values });
        return true;
      case 'compare':
        return compare(node.key, node.op, node.value, false);
      case 'not': {
        const operand = node.operand;
        if (operand.type === 'has') matchExpressions.push({ key: renameKey(operand.key), operator: 'DoesNotExist', values: [] });
        else if (operand.type === 'in') matchExpressions.push({ key: renameKey(operand.key), operator: operand.negated ? 'In' : 'NotIn', values: operand.values });
        else if (operand.type === 'compare') return compare(operand.key, operand.op, operand.value, true);
        else return false;
        return true;
      }
      default:
        return false;
    }
  };
  const compare = (rawKey: string, op: string, value: string, negated: boolean): boolean => {
    const key = renameKey(rawKey);
    // `k == v` (or `!(k != v)`): k present with value v; `k != v` (or `!(k == v)`): anything else, k absent included.
    const equal = (op === '==') !== negated;
    if (op !== '==' && op !== '!=') return false;
    if (!equal) matchExpressions.push({ key, operator: 'NotIn', values: [value] });
    else if (matchLabels[key] === undefined) matchLabels[key] = value;
    else if (matchLabels[key] !== value) matchExpressions.push({ key, operator: 'In', values: [value] });
    return true;
  };
  return add(selector.root) ? { matchLabels, matchExpressions } : null;
}
