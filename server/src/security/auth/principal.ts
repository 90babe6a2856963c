import type { Role } from "../../generated/prisma/enums.ts";

/** Who is calling: a person logged in with a session, or an API client with a token. */
export interface Principal {
  kind: "USER" | "API_TOKEN";
  id: number;
  name: string;
  role: Role;
  /** Grants beyond the role (API tokens only), e.g. "metrics". */
  scopes?: readonly string[];
}

const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

/** Roles are ordered: an ADMIN can do everything an OPERATOR can, who can do everything a VIEWER can. */
export function hasRole(principal: Principal | null | undefined, needed: Role): boolean {
  return !!principal && RANK[principal.role] >= RANK[needed];
}

export const ROLES: readonly Role[] = ["VIEWER", "OPERATOR", "ADMIN"];

export function parseRole(value: string): Role | undefined {
  const upper = value.trim().toUpperCase();
  return ROLES.find((r) => r === upper);
}
