// Plain scalars that YAML 1.1 (go-yaml v2 behind kubectl) resolves differently from the YAML 1.2 core
// schema we parse with. In a field where Kubernetes expects a string they must be quoted.

/** go-yaml v2's boolean words (its resolve table), plus the 1.2 core booleans. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
/** YAML 1.1 numbers the 1.2 core schema reads as strings: digit separators and binary literals. */
const YAML11_NUMBER = /^(?:[-+]?0b[01_]+|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$/;
/**
 * A leading-zero integer: go-yaml v2 (Go's ParseInt, base 0) reads it as octal, the 1.2 core schema as decimal.
 * `0o17` and `0x1F` read the same in both; `08` (not octal) is a float 8 to go-yaml, the same number.
 */
const LEADING_ZERO_OCTAL = /^[-+]?0[0-7]+$/;

export function isYaml11Ambiguous(plainSource: string): boolean {
  return YAML11_BOOLEAN.test(plainSource) || YAML11_NUMBER.test(plainSource) || yaml11Octal(plainSource) !== undefined;
}

/** The value kubectl reads from a leading-zero integer whose YAML 1.2 reading differs (`0120` → 80); else undefined. */
export function yaml11Octal(plainSource: string): number | undefined {
  if (!LEADING_ZERO_OCTAL.test(plainSource)) return undefined;
  const octal = parseInt(plainSource, 8);
  return octal === parseInt(plainSource, 10) ? undefined : octal;
}
