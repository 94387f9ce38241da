// The state of an invitation as the list shows it: accepted once used,
// expired after its time, pending otherwise.

/** 'accepted' | 'expired' | 'pending' for an invitation of GET /api/v1/invitations. */
export function invitationState(inv, now = new Date()) {
  if (inv.accepted_at) return 'accepted';
  const exp = new Date(inv.expires_at).getTime();
  if (!Number.isNaN(exp) && exp <= now.getTime()) return 'expired';
  return 'pending';
}
