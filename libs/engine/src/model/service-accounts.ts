// A pod's service account, which Calico (`serviceAccounts`, `serviceAccountSelector`) and Cilium
// (`io.cilium.k8s.policy.serviceaccount`) select pods by.
//
// Kubernetes fills `serviceAccountName` on every Pod it admits (from the deprecated `serviceAccount`, else
// `default`), so an absent field in a manifest or a pod template IS `default`. A Pod read from a cluster (it has a
// `status`) always carries the field; when it does not, the Pod was stored before the projection kept service
// accounts: its real value was lost, and it is unknown (null) rather than guessed. Rules that select by service
// account match no pod whose account is unknown, and the verdicts they could change say so (caveats).
import { asObject, asString } from './raw.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The service account of a Pod object (`status` given) or a pod template (`status` undefined); null: not recorded. */
export function serviceAccountOf(podSpec: unknown, status: unknown): string | null {
  const spec = asObject(podSpec);
  const named = asString(spec?.serviceAccountName) || asString(spec?.serviceAccount);
  if (named) return named;
  return asObject(status) ? null : DEFAULT_SERVICE_ACCOUNT;
}
