// CIDR checks for ipBlock validation, in the engine's one IP grammar (algebra/ip-grammar.ts, Go's).
import { isIpGrammarError, parseCidrText, type CidrValue } from '../../algebra/ip-grammar.js';

export type ParsedCidr = CidrValue;

export function parseCidr(text: string): ParsedCidr | { readonly error: string } {
  return parseCidrText(text);
}

export { isIpGrammarError };

/** As the API server checks `except`: same family, its network inside `cidr`, and a longer prefix. */
export function isStrictSubset(inner: ParsedCidr, outer: ParsedCidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.first <= outer.last && inner.prefix > outer.prefix;
}
