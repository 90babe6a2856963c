import { builder } from "../builder.ts";

// Every read needs at least VIEWER; mutations state their own role (OPERATOR or ADMIN).
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { viewer: true } });
builder.subscriptionType({ authScopes: { viewer: true } });
