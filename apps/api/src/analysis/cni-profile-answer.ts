// Which CNI profile produced a result, said the same way on every surface that names it (verdicts, connectivity,
// exposure, inventory, who-can-reach, diff, lint, intents, reports): the name, and the engine's note when the name
// alone would mislead (no CNI declared and a plugin's own policies, Calico's, evaluated under np-guard's reading).
import type { Snapshot } from '@netpol-atlas/engine';

export interface CniProfileAnswer {
  readonly cniProfile: string;
  /** Absent when the name misleads nobody (a declared CNI, or only np-guard's own dialects present). */
  readonly cniProfileNote?: string;
}

export const CNI_PROFILE_NOTE_DESCRIPTION =
  "Why the profile's name alone would mislead, when it would: no CNI was declared for the cluster and policies of a plugin's own dialect (Calico) were evaluated under np-guard's reading. Null otherwise.";

/** The REST header carrying `cniProfileNote` next to `X-Netpol-Cni-Profile` (absent when there is no note). */
export const CNI_PROFILE_NOTE_HEADER = 'X-Netpol-Cni-Profile-Note';

/** The profile a snapshot's results are computed under, with the engine's note (Snapshot.cniProfileNote). */
export function cniProfileAnswerOf(snapshot: Snapshot): CniProfileAnswer {
  const cniProfile = snapshot.options.cni;
  return snapshot.cniProfileNote === undefined ? { cniProfile } : { cniProfile, cniProfileNote: snapshot.cniProfileNote };
}
