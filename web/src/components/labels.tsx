import type { Component } from "solid-js";
import type { Role } from "../lib/auth-api.ts";
import { t, type MessageKey } from "../stores/i18n.ts";

export type RunStatus = "QUEUED" | "RUNNING" | "SUCCESS" | "FAILURE" | "CANCELLED" | "ABANDONED";
export type RunTriggerName = "CRON" | "INTERVAL" | "DATE" | "MANUAL" | "RETRY" | "CATCHUP";

export const STATUS_KEYS: Record<RunStatus, MessageKey> = {
  QUEUED: "status.QUEUED",
  RUNNING: "status.RUNNING",
  SUCCESS: "status.SUCCESS",
  FAILURE: "status.FAILURE",
  CANCELLED: "status.CANCELLED",
  ABANDONED: "status.ABANDONED",
};

export const RUN_TRIGGER_KEYS: Record<RunTriggerName, MessageKey> = {
  CRON: "runTrigger.CRON",
  INTERVAL: "runTrigger.INTERVAL",
  DATE: "runTrigger.DATE",
  MANUAL: "runTrigger.MANUAL",
  RETRY: "runTrigger.RETRY",
  CATCHUP: "runTrigger.CATCHUP",
};

const ROLE_KEYS: Record<Role, MessageKey> = { VIEWER: "role.VIEWER", OPERATOR: "role.OPERATOR", ADMIN: "role.ADMIN" };

/** A run the dispatcher queued ahead of its slot, which has not come yet: planned, not waiting. */
export function isPlanned(run: { status: RunStatus; scheduledAt?: string | null }, now = Date.now()): boolean {
  return run.status === "QUEUED" && Boolean(run.scheduledAt) && new Date(run.scheduledAt!).getTime() > now;
}

export const StatusBadge: Component<{ status: RunStatus; planned?: boolean }> = (props) => (
  <span class={`badge badge-${props.planned ? "PLANNED" : props.status}`} data-status={props.status} data-planned={props.planned ? "true" : undefined}>
    {props.planned ? t("status.PLANNED") : t(STATUS_KEYS[props.status])}
  </span>
);

export const RoleName: Component<{ role: Role }> = (props) => <>{t(ROLE_KEYS[props.role])}</>;
