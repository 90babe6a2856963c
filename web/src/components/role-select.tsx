import { For, type Component } from "solid-js";
import type { Role } from "../lib/auth-api.ts";
import { t, type MessageKey } from "../stores/i18n.ts";

const ROLES: Array<[Role, MessageKey]> = [
  ["VIEWER", "role.VIEWER"],
  ["OPERATOR", "role.OPERATOR"],
  ["ADMIN", "role.ADMIN"],
];

export const RoleSelect: Component<{ id?: string; value: Role; disabled?: boolean; label?: string; onChange: (role: Role) => void }> = (props) => (
  <select id={props.id} aria-label={props.label} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value as Role)}>
    <For each={ROLES}>{([role, key]) => <option value={role}>{t(key)}</option>}</For>
  </select>
);
