// Calico's selector language (projectcalico.org/v3 `selector`, `namespaceSelector`, `serviceAccountSelector`):
//   expr   := or ; or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '!' unary | primary
//   primary := '(' expr ')' | 'all()' | 'global()' | 'has(' key ')' | key op value | key ['not'] 'in' '{' values '}'
//   op := '==' | '!=' | 'contains' | 'starts with' | 'startswith' | 'ends with' | 'endswith'
// `k != v` and `k not in {…}` match when k is absent; the empty selector is `all()`. Parse errors are located
// (0-based offset, 1-based column). Input length and nesting depth are bounded before any work (hostile input).
import type { Labels } from '../../../algebra/selector.js';

export const MAX_SELECTOR_LENGTH = 16_384;
export const MAX_SELECTOR_DEPTH = 64;

export type CalicoSelectorNode =
  | { readonly type: 'all' }
  | { readonly type: 'global' }
  | { readonly type: 'has'; readonly key: string }
  | { readonly type: 'compare'; readonly key: string; readonly op: CompareOp; readonly value: string }
  | { readonly type: 'in'; readonly key: string; readonly negated: boolean; readonly values: readonly string[] }
  | { readonly type: 'not'; readonly operand: CalicoSelectorNode }
  | { readonly type: 'and' | 'or'; readonly operands: readonly CalicoSelectorNode[] };

export type CompareOp = '==' | '!=' | 'contains' | 'starts with' | 'ends with';

export interface CalicoSelectorError {
  readonly code: 'SELECTOR_SYNTAX' | 'SELECTOR_TOO_LONG' | 'SELECTOR_TOO_DEEP';
  readonly message: string;
  /** 0-based offset in the selector text. */
  readonly offset: number;
  /** 1-based column (offset + 1). */
  readonly column: number;
}

export class CalicoSelector {
  private constructor(
    readonly root: CalicoSelectorNode,
    /** Calico's canonical text: equal texts mean equal selectors. */
    readonly canonical: string,
  ) {}

  static readonly ALL = new CalicoSelector({ type: 'all' }, 'all()');

  /** The parsed selector, or the first located error. */
  static parse(text: string): CalicoSelector | CalicoSelectorError {
    if (text.length > MAX_SELECTOR_LENGTH) {
      return locatedError('SELECTOR_TOO_LONG', `selector is ${text.length} characters long; at most ${MAX_SELECTOR_LENGTH} are accepted`, MAX_SELECTOR_LENGTH);
    }
    try {
      const root = new Parser(text).parseAll();
      return new CalicoSelector(root, print(root));
    } catch (error) {
      if (error instanceof ParseFailure) return error.located;
      throw error;
    }
  }

  matches(labels: Labels): boolean {
    return evaluate(this.root, labels, true);
  }

  /** As a rule's or a policy's `namespaceSelector` over a namespace's labels: `global()` names the non-namespaced
   *  resources (global network sets, host endpoints), so it holds for no namespace (docs.tigera.io, network sets). */
  matchesNamespace(labels: Labels): boolean {
    return evaluate(this.root, labels, false);
  }

  /** Label keys the selector reads (sorted). */
  keys(): string[] {
    const out = new Set<string>();
    const walk = (n: CalicoSelectorNode): void => {
      if (n.type === 'has' || n.type === 'compare' || n.type === 'in') out.add(n.key);
      else if (n.type === 'not') walk(n.operand);
      else if (n.type === 'and' || n.type === 'or') n.operands.forEach(walk);
    };
    walk(this.root);
    return [...out].sort();
  }

  /** Whether the selector is `all()` exactly (every endpoint). */
  get isAll(): boolean {
    return this.root.type === 'all';
  }

  /** Whether the selector mentions `global()` (the non-namespaced objects, as a namespaceSelector). */
  get mentionsGlobal(): boolean {
    const walk = (n: CalicoSelectorNode): boolean =>
      n.type === 'global' || (n.type === 'not' ? walk(n.operand) : n.type === 'and' || n.type === 'or' ? n.operands.some(walk) : false);
    return walk(this.root);
  }

  toString(): string {
    return this.canonical;
  }
}

export function isSelectorError(value: CalicoSelector | CalicoSelectorError): value is CalicoSelectorError {
  return !(value instanceof CalicoSelector);
}

function locatedError(code: CalicoSelectorError['code'], message: string, offset: number): CalicoSelectorError {
  return { code, message, offset, column: offset + 1 };
}

class ParseFailure extends Error {
  constructor(readonly located: CalicoSelectorError) {
    super(located.message);
  }
}

function evaluate(node: CalicoSelectorNode, labels: Labels, global: boolean): boolean {
  switch (node.type) {
    case 'all':
      return true;
    case 'global':
      return global;
    case 'has':
      return Object.prototype.hasOwnProperty.call(labels, node.key);
    case 'compare': {
      const has = Object.prototype.hasOwnProperty.call(labels, node.key);
      const value = has ? labels[node.key] : '';
      switch (node.op) {
        case '==':
          return has && value === node.value;
        case '!=':
          return !has || value !== node.value;
        case 'contains':
          return has && value.includes(node.value);
        case 'starts with':
          return has && value.startsWith(node.value);
        default:
          return has && value.endsWith(node.value);
      }
    }
    case 'in': {
      const has = Object.prototype.hasOwnProperty.call(labels, node.key);
      const member = has && node.values.includes(labels[node.key]);
      return node.negated ? !member : member;
    }
    case 'not':
      return !evaluate(node.operand, labels, global);
    case 'and':
      return node.operands.every((o) => evaluate(o, labels, global));
    default:
      return node.operands.some((o) => evaluate(o, labels, global));
  }
}

const PRECEDENCE = { or: 1, and: 2 } as const;

/** Calico's canonical text: single spaces around binary operators, `!` attached, set items sorted and
 *  de-duplicated, `startswith` written `starts with`, strings double-quoted unless they hold a `"`. */
function print(node: CalicoSelectorNode): string {
  switch (node.type) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${node.key})`;
    case 'compare':
      return `${node.key} ${node.op} ${quote(node.value)}`;
    case 'in':
      return `${node.key} ${node.negated ? 'not in' : 'in'} {${node.values.map(quote).join(', ')}}`;
    case 'not': {
      const inner = print(node.operand);
      return node.operand.type === 'and' || node.operand.type === 'or' ? `!(${inner})` : `!${inner}`;
    }
    default: {
      const own = PRECEDENCE[node.type];
      return node.operands
        .map((o) => ((o.type === 'and' || o.type === 'or') && PRECEDENCE[o.type] < own ? `(${print(o)})` : print(o)))
        .join(node.type === 'and' ? ' && ' : ' || ');
    }
  }
}

function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

const KEY = /[A-Za-z0-9_./-]/;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseAll(): CalicoSelectorNode {
    this.skipSpace();
    if (this.pos === this.text.length) return { type: 'all' };
    const node = this.parseOr();
    this.skipSpace();
    if (this.pos < this.text.length) {
      if (this.text[this.pos] === ')') this.fail(`unbalanced ")"`);
      this.fail(`expected "&&", "||" or the end of the selector, found ${this.describeHere()}`);
    }
    return node;
  }

  private parseOr(): CalicoSelectorNode {
    const operands = [this.parseAnd()];
    while (this.eat('||')) operands.push(this.parseAnd());
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private parseAnd(): CalicoSelectorNode {
    const operands = [this.parseUnary()];
    while (this.eat('&&')) operands.push(this.parseUnary());
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private parseUnary(): CalicoSelectorNode {
    this.skipSpace();
    if (this.text[this.pos] === '!' && this.text[this.pos + 1] !== '=') {
      this.pos++;
      this.enter();
      const operand = this.parseUnary();
      this.depth--;
      return { type: 'not', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): CalicoSelectorNode {
    this.skipSpace();
    const start = this.pos;
    if (this.pos >= this.text.length) this.fail('unexpected end of the selector: expected a label expression');
    if (this.text[this.pos] === '(') {
      this.pos++;
      this.enter();
      this.skipSpace();
      if (this.text[this.pos] === ')') this.fail('empty parentheses');
      const inner = this.parseOr();
      this.depth--;
      if (!this.eat(')')) this.fail(`unterminated "(" opened at column ${start + 1}`);
      return inner;
    }
    for (const [word, type] of [['all()', 'all'], ['global()', 'global']] as const) {
      if (this.eatWord(word)) return { type };
    }
    if (this.eatWord('has(')) {
      this.skipSpace();
      const key = this.readKey();
      if (!this.eat(')')) this.fail('expected ")" after the label in has(…)');
      return { type: 'has', key };
    }
    if (this.text[this.pos] === '"' || this.text[this.pos] === "'") this.fail('a string literal cannot stand on the left: expected a label');
    const key = this.readKey();
    this.skipSpace();
    for (const [words, op] of [
      [['=='], '=='],
      [['!='], '!='],
      [['contains'], 'contains'],
      [['starts with', 'startswith'], 'starts with'],
      [['ends with', 'endswith'], 'ends with'],
    ] as const) {
      if ((words as readonly string[]).some((w) => this.eatOperator(w))) return { type: 'compare', key, op, value: this.readString() };
    }
    if (this.eatOperator('not in')) return { type: 'in', key, negated: true, values: this.readSet() };
    if (this.eatOperator('in')) return { type: 'in', key, negated: false, values: this.readSet() };
    this.fail(`expected an operator (==, !=, in, not in, contains, starts with, ends with) after label "${key}", found ${this.describeHere()}`);
  }

  private enter(): void {
    if (++this.depth > MAX_SELECTOR_DEPTH) throw new ParseFailure(locatedError('SELECTOR_TOO_DEEP', `selector nests deeper than ${MAX_SELECTOR_DEPTH} levels`, this.pos));
  }

  private readKey(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && KEY.test(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`expected a label, found ${this.describeHere()}`);
    return this.text.slice(start, this.pos);
  }

  private readString(): string {
    this.skipSpace();
    const quoteChar = this.text[this.pos];
    if (quoteChar !== '"' && quoteChar !== "'") this.fail(`expected a quoted string, found ${this.describeHere()}`);
    const start = this.pos;
    const end = this.text.indexOf(quoteChar, this.pos + 1);
    if (end < 0) this.fail('unterminated string', start);
    this.pos = end + 1;
    return this.text.slice(start + 1, end);
  }

  private readSet(): string[] {
    this.skipSpace();
    if (!this.eat('{')) this.fail(`expected a set literal {"a", "b"}, found ${this.describeHere()}`);
    const values = new Set<string>();
    this.skipSpace();
    if (this.eat('}')) return [];
    for (;;) {
      values.add(this.readString());
      if (this.eat('}')) break;
      if (!this.eat(',')) this.fail(`expected "," or "}" in the set, found ${this.describeHere()}`);
    }
    return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  /** A keyword-like function token (`all()`, `has(`), allowing spaces inside as Calico does (`has( b)`). */
  private eatWord(word: string): boolean {
    const name = word.slice(0, word.indexOf('('));
    const rest = word.slice(name.length);
    if (!this.text.startsWith(name, this.pos)) return false;
    let p = this.pos + name.length;
    for (const ch of rest) {
      while (p < this.text.length && /\s/.test(this.text[p])) p++;
      if (this.text[p] !== ch) return false;
      p++;
    }
    this.pos = p;
    return true;
  }

  /** A symbolic operator, or a word operator that must not run into a label (`in` vs `inner`). */
  private eatOperator(op: string): boolean {
    this.skipSpace();
    const parts = op.split(' ');
    let p = this.pos;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        const before = p;
        while (p < this.text.length && /\s/.test(this.text[p])) p++;
        if (p === before) return false;
      }
      if (!this.text.startsWith(parts[i], p)) return false;
      p += parts[i].length;
    }
    if (/^[a-z]/.test(op) && p < this.text.length && KEY.test(this.text[p])) return false;
    this.pos = p;
    return true;
  }

  private describeHere(): string {
    return this.pos >= this.text.length ? 'the end of the selector' : `"${this.text[this.pos]}"`;
  }

  private fail(message: string, offset = this.pos): never {
    throw new ParseFailure(locatedError('SELECTOR_SYNTAX', message, offset));
  }
}
