// Plain scalars that YAML 1.1 (go-yaml v2 behind kubectl) resolves differently from the YAML 1.2 core
// schema we parse with. In a field where Kubernetes expects a string they must be quoted.

/** go-yaml v2's boolean words (its resolve table), plus the 1.2 core booleans. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
/** YAML 1.1 numbers the 1.2 core schema reads as strings: digit separators and binary literals. */
const YAML11_NUMBER = /^(?:[-+]?0b[01_]+|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$/;

export function isYaml11Ambiguous(plainSource: string): boolean {
  return YAML11_BOOLEAN.test(plainSource) || YAML11_NUMBER.test(plainSource);
}
