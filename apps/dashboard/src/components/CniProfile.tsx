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

/**
 * Why the profile's name alone would mislead, when the API says it would (`cniProfileNote`: no CNI declared and a
 * plugin's own policies, e.g. Calico's, read under np-guard's semantics); nothing otherwise. Shown next to every profile.
 */
export function CniProfileNote({ note }: { note: string | null | undefined }) {
  if (!note) return null;
  return (
    <p className="muted" data-testid="cni-profile-note">
      {note}
    </p>
  );
}
