// Kubernetes label selectors (matchLabels + matchExpressions with In, NotIn, Exists, DoesNotExist), compiled
// once into a list of requirements that are AND-ed. An empty selector matches everything.

export type Labels = Readonly<Record<string, string>>;
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted and de-duplicated; empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

/** The raw LabelSelector shape as it appears in manifests. */
export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, unknown>> | null;
  readonly matchExpressions?: ReadonlyArray<{ key?: unknown; operator?: unknown; values?: unknown }> | null;
}

export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** Canonical text: equal keys mean equal selectors. */
    readonly key: string,
    /** A selector of another language (Calico's expressions): matched by this predicate; `requirements` then
     *  only name the keys it reads (Exists), for what reads selectors' keys (identity classes). */
    private readonly predicate?: (labels: Labels) => boolean,
  ) {}

  /** A selector of another language, matched by `predicate`, reading the label keys `keys`. */
  static custom(key: string, keys: readonly string[], predicate: (labels: Labels) => boolean): Selector {
    return new Selector(
      keys.map((k) => ({ key: k, operator: 'Exists' as const, values: [] })),
      key,
      predicate,
    );
  }

  static readonly EVERYTHING = new Selector([], '{}');

  static compile(spec: LabelSelectorSpec | null | undefined): Selector {
    if (!spec || typeof spec !== 'object') return Selector.EVERYTHING;
    const requirements: Requirement[] = [];
    for (const [key, value] of Object.entries(spec.matchLabels ?? {})) {
      requirements.push({ key, operator: 'In', values: [String(value)] });
    }
    for (const expr of spec.matchExpressions ?? []) {
      const operator = expr.operator as SelectorOperator;
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      const needsValues = operator === 'In' || operator === 'NotIn';
      requirements.push({
        key: String(expr.key),
        operator,
        values: needsValues ? [...new Set(values)].sort() : [],
      });
    }
    requirements.sort((a, b) => cmp(a.key, b.key) || cmp(a.operator, b.operator) || cmp(a.values.join('\0'), b.values.join('\0')));
    const unique = requirements.filter((r, i) => i === 0 || requirementKey(r) !== requirementKey(requirements[i - 1]));
    if (unique.length === 0) return Selector.EVERYTHING;
    return new Selector(unique, JSON.stringify(unique.map((r) => [r.key, r.operator, r.values])));
  }

  get isEverything(): boolean {
    return this.requirements.length === 0 && this.predicate === undefined;
  }

  matches(labels: Labels): boolean {
    if (this.predicate) return this.predicate(labels);
    // Indexed: matched very often, and `for…of` allocates in not-yet-optimised code.
    const requirements = this.requirements;
    for (let i = 0; i < requirements.length; i++) if (!requirementMatches(requirements[i], labels)) return false;
    return true;
  }

  /** Label keys this selector reads. */
  keys(): string[] {
    return [...new Set(this.requirements.map((r) => r.key))];
  }

  toString(): string {
    if (this.predicate) return this.key;
    return this.requirements.map(requirementText).join(',') || '{}';
  }
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]);
    case 'NotIn':
      // Kubernetes: NotIn matches when the key is absent too.
      return !has || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** Kubernetes' selector text: `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`. */
export function requirementText(r: Requirement): string {
  switch (r.operator) {
    case 'In':
      return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      return r.key;
  }
}

function requirementKey(r: Requirement): string {
  return `${r.key}\0${r.operator}\0${r.values.join('\0')}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
