/** Human labels for the server's role names. */
const ROOM_ROLE_LABELS: Record<string, string> = {
  rep: "Rep",
  legal: "Legal",
  approver: "Approver",
  customer: "Customer",
  viewer: "Viewer",
};

export function roleLabel(role: string): string {
  return ROOM_ROLE_LABELS[role] ?? role.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

export function initials(name: string): string {
  const parts = name.replace(/\(.*?\)/g, "").trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** The company roles of people (`/people`). */
const USER_ROLE_LABELS: Record<string, string> = {
  rep: "Sales rep",
  sales_manager: "Sales manager",
  vp_sales: "VP sales",
  finance: "Finance",
  legal: "Legal",
  admin: "Admin",
  customer: "Customer",
};

export function userRoleLabel(role: string): string {
  return USER_ROLE_LABELS[role] ?? roleLabel(role);
}
