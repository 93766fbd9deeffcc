import type { Locale } from '../template/labels';

/** Who acts, with what a transition needs to record: the audit trail and the messages' language. */
export interface Actor {
  tenantId: string;
  userId: string;
  membershipId: string;
  ip: string | null;
  userAgent: string | null;
  locale: Locale;
}
