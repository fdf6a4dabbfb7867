// Name and value syntax as k8s.io/apimachinery/pkg/util/validation defines it. Each check returns the
// problems found (empty when valid), like the Go functions.

/** The answer for a valid value, shared: these checks run per label and port of 50k objects (no array each). */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME_CHARS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

export function dns1123Label(value: string): readonly string[] {
  if (value.length <= 63 && DNS1123_LABEL.test(value)) return NO_PROBLEMS;
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function dns1123Subdomain(value: string): readonly string[] {
  if (value.length <= 253 && DNS1123_SUBDOMAIN.test(value)) return NO_PROBLEMS;
  const problems: string[] = [];
  if (value.length > 253) problems.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

/** Valid qualified names seen so far (bounded): 50k objects repeat a few hundred label keys. */
const VALID_QUALIFIED_NAMES = new Set<string>();
const MAX_REMEMBERED = 4096;

/** Label keys and selector keys: `[prefix/]name`. */
export function qualifiedName(value: string): readonly string[] {
  if (VALID_QUALIFIED_NAMES.has(value)) return NO_PROBLEMS;
  const problems = qualifiedNameProblems(value);
  if (problems.length === 0 && VALID_QUALIFIED_NAMES.size < MAX_REMEMBERED) VALID_QUALIFIED_NAMES.add(value);
  return problems;
}

function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const problems: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...dns1123Subdomain(prefix).map((p) => `prefix part ${p}`));
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function labelValue(value: string): readonly string[] {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return NO_PROBLEMS;
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

/** IANA_SVC_NAME (RFC 6335): the syntax of named ports. */
export function ianaServiceName(value: string): readonly string[] {
  if (value.length <= 15 && IANA_SVC_NAME_CHARS.test(value) && HAS_LETTER.test(value) && !value.includes('--') && !value.startsWith('-') && !value.endsWith('-')) {
    return NO_PROBLEMS;
  }
  const problems: string[] = [];
  if (value.length > 15) problems.push('must be no more than 15 characters');
  if (!IANA_SVC_NAME_CHARS.test(value)) problems.push("must contain only lowercase alphanumeric characters or '-'");
  if (!HAS_LETTER.test(value)) problems.push('must contain at least one letter');
  if (value.includes('--')) problems.push("must not contain consecutive hyphens");
  if (value.startsWith('-') || value.endsWith('-')) problems.push("must not begin or end with a hyphen");
  return problems;
}

/** An integer in 1-65535: what portNumber accepts. */
export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

export function portNumber(value: number): readonly string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? NO_PROBLEMS : ['must be between 1 and 65535, inclusive'];
}

export const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];
