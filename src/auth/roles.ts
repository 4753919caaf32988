// Roles per workspace, from most to least trusted. A route declares the least role it needs;
// the analyst reads everything and changes nothing, the trainee works under review.
export const ROLES = ['owner', 'admin', 'manager', 'moderator', 'trainee', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { owner: 6, admin: 5, manager: 4, moderator: 3, trainee: 2, analyst: 1 };

export function hasRole(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed];
}
