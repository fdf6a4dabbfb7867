/**
 * "profile: calico": the CNI profile whose semantics produced a result (which policy kinds are enforced, whether an
 * ipBlock matches pods, derived labels), as the API names it on every verdict and report.
 */
export function CniProfile({ profile }: { profile: string }) {
  return (
    <span className="cni-profile" data-cni-profile={profile} title="The CNI semantic profile this result was computed under">
      profile: <code>{profile}</code>
    </span>
  );
}
