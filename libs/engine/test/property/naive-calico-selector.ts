// The naive evaluator's own reading of Calico's selector language (docs.tigera.io, "Selectors"), written apart
// from the engine's parser: a tokenizer and a recursive descent straight to a boolean, re-run on every call.
//   all() · global() · has(k) · k == 'v' · k != 'v' · k in {'a','b'} · k not in {…} · ! · && · || · ( )
// `k != 'v'` and `k not in {…}` also match when k is absent; `global()` matches no endpoint (only non-namespaced
// resources, which the caller decides). Enough of the language for what the generator writes; anything else throws.

type Token = { kind: 'word' | 'string' | 'op'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`naive selector: unterminated string in ${text}`);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (['==', '!=', '&&', '||'].includes(text.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: text.slice(i, i + 2) });
      i += 2;
    } else if ('!(){},'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_./-]+/.exec(text.slice(i));
      if (!m) throw new Error(`naive selector: unexpected ${c} in ${text}`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Whether the selector text matches the labels. */
export function calicoSelectorMatches(text: string, labels: Readonly<Record<string, string>>): boolean {
  if (text.trim() === '') return true;
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string): Token => {
    const t = tokens[pos++];
    if (!t || (expected !== undefined && t.text !== expected)) throw new Error(`naive selector: expected ${expected ?? 'a token'} in ${text}`);
    return t;
  };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  const orExpr = (): boolean => {
    let value = andExpr();
    while (peek()?.text === '||') {
      take();
      const right = andExpr();
      value = value || right;
    }
    return value;
  };
  const andExpr = (): boolean => {
    let value = unary();
    while (peek()?.text === '&&') {
      take();
      const right = unary();
      value = value && right;
    }
    return value;
  };
  const unary = (): boolean => {
    if (peek()?.text === '!') {
      take();
      return !unary();
    }
    return primary();
  };
  const valueSet = (): string[] => {
    take('{');
    const values: string[] = [];
    while (peek()?.text !== '}') {
      values.push(take().text);
      if (peek()?.text === ',') take();
    }
    take('}');
    return values;
  };
  const primary = (): boolean => {
    const t = take();
    if (t.text === '(') {
      const value = orExpr();
      take(')');
      return value;
    }
    if (t.text === 'all' || t.text === 'global') {
      take('(');
      take(')');
      return t.text === 'all';
    }
    if (t.text === 'has') {
      take('(');
      const key = take().text;
      take(')');
      return has(key);
    }
    const key = t.text;
    const op = take().text;
    // Operands are read before the label is looked at, so that the tokens are consumed either way.
    if (op === '==' || op === '!=') {
      const value = take().text;
      const equal = has(key) && labels[key] === value;
      return op === '==' ? equal : !equal;
    }
    if (op === 'in') {
      const values = valueSet();
      return has(key) && values.includes(labels[key]);
    }
    if (op === 'not') {
      take('in');
      const values = valueSet();
      return !(has(key) && values.includes(labels[key]));
    }
    throw new Error(`naive selector: unknown operator ${op} in ${text}`);
  };
  const result = orExpr();
  if (pos !== tokens.length) throw new Error(`naive selector: trailing input in ${text}`);
  return result;
}

/** Whether the selector text contains `global()` (a namespaceSelector reaching non-namespaced network sets). */
export function mentionsGlobal(text: string): boolean {
  return /\bglobal\(\)/.test(text);
}
