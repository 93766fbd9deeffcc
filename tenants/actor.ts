/** Who acts, from where: what every audit event of onboarding records. */
export interface Actor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export const auditActor = (a: Actor) => ({ actorUserId: a.userId, ip: a.ip, userAgent: a.userAgent });
