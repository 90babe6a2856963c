import type { User } from "../../generated/prisma/client.ts";
import { listUsers } from "../../security/auth/index.ts";
import { audited } from "../audited.ts";
import { addUser, changeMyPassword, changeUser, setUserPassword } from "../account-service.ts";
import { builder } from "../builder.ts";
import { ActionRefusedError, NotFoundError, ValidationError } from "../errors.ts";
import { RoleEnum } from "./enums.ts";

type UserRecord = Omit<User, "passwordHash">;

const ADMIN = { admin: true } as const;

export const UserRef = builder.objectRef<UserRecord>("User").implement({
  description: "A person who logs in to the admin. Passwords are never readable.",
  fields: (t) => ({
    id: t.exposeID("id"),
    username: t.exposeString("username"),
    role: t.field({ type: RoleEnum, resolve: (u) => u.role }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    disabledAt: t.expose("disabledAt", { type: "DateTime", nullable: true, description: "Set: the user cannot log in; their sessions ended." }),
    disabled: t.boolean({ resolve: (u) => u.disabledAt !== null }),
  }),
});

const CreateUserInput = builder.inputType("CreateUserInput", {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true, description: "At least 8 characters." }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

const UpdateUserInput = builder.inputType("UpdateUserInput", {
  description: "Omitted fields stay as they are.",
  fields: (t) => ({
    role: t.field({ type: RoleEnum, required: false }),
    disabled: t.boolean({ required: false, description: "true: the user cannot log in and their sessions end; false: enabled again." }),
  }),
});

builder.queryFields((t) => ({
  users: t.field({ type: [UserRef], authScopes: ADMIN, resolve: (_root, _args, ctx) => listUsers(ctx.runtime.prisma) }),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserRef,
    authScopes: ADMIN,
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      audited(ctx, { action: "user.create", target: { type: "User", id: input.username }, detail: (u) => ({ role: u.role }) }, () => addUser(ctx.runtime, input)),
  }),
  updateUser: t.field({
    type: UserRef,
    authScopes: ADMIN,
    description: "Changes a user's role or disables them. The last enabled admin can be neither demoted nor disabled (code LAST_ADMIN).",
    errors: { types: [NotFoundError, ActionRefusedError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      audited(ctx, { action: "user.update", target: { type: "User", id }, detail: (u) => ({ role: u.role, disabled: Boolean(u.disabledAt) }) }, () => changeUser(ctx.runtime, id, input)),
  }),
  resetPassword: t.field({
    type: UserRef,
    authScopes: ADMIN,
    description: "Sets another user's password; their sessions end.",
    errors: { types: [NotFoundError, ValidationError] },
    args: { id: t.arg.id({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, { id, password }, ctx) =>
      audited(ctx, { action: "user.update", target: { type: "User", id }, detail: () => ({ password: "reset" }) }, () => setUserPassword(ctx.runtime, id, password)),
  }),
  changeMyPassword: t.field({
    type: "Boolean",
    authScopes: { viewer: true },
    description: "The logged-in user changes their own password; their other sessions end, this one stays.",
    errors: { types: [ValidationError, ActionRefusedError] },
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: (_root, { currentPassword, newPassword }, ctx) =>
      audited(ctx, { action: "user.update", target: { type: "User", id: ctx.principal!.name }, detail: () => ({ password: "changed" }) }, () =>
        changeMyPassword(ctx.runtime, ctx.principal!, ctx.session, currentPassword, newPassword),
      ),
  }),
}));
