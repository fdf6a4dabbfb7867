// Every framework this product reports on, by id.
import type { FrameworkDefinition } from '../types.js';
import { CIS_KUBERNETES } from './cis.js';
import { ISO_27001 } from './iso27001.js';
import { NIST_800_53 } from './nist-800-53.js';
import { PCI_DSS_4_0 } from './pci-dss-4.0.js';
import { SOC2 } from './soc2.js';

export const FRAMEWORKS: readonly FrameworkDefinition[] = [PCI_DSS_4_0, SOC2, CIS_KUBERNETES, ISO_27001, NIST_800_53];
export const FRAMEWORK_IDS = FRAMEWORKS.map((f) => f.id);

export function frameworkById(id: string): FrameworkDefinition | undefined {
  return FRAMEWORKS.find((f) => f.id === id);
}
