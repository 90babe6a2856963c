import { Navigate, Route, Router } from "@solidjs/router";
import { lazy, type Component } from "solid-js";
import { AuthGate } from "./components/auth-gate.tsx";
import { DashboardPage } from "./routes/dashboard.tsx";
import { JobsPage } from "./routes/jobs.tsx";
import { RunDetailPage } from "./routes/run-detail.tsx";
import { RunsPage } from "./routes/runs.tsx";
import { createSessionStore } from "./stores/session.ts";
import { locale } from "./stores/i18n.ts";

// The editor carries the JSON-schema validator; load it only when someone edits.
const AuditPage = lazy(() => import("./routes/audit.tsx").then((m) => ({ default: m.AuditPage })));
const JobEditorPage = lazy(() => import("./routes/job-editor.tsx").then((m) => ({ default: m.JobEditorPage })));
// Account screens are visited rarely; keep them out of the first load.
const TokensPage = lazy(() => import("./routes/tokens.tsx").then((m) => ({ default: m.TokensPage })));
const UsersPage = lazy(() => import("./routes/users.tsx").then((m) => ({ default: m.UsersPage })));
const JobPage = lazy(() => import("./routes/job-page.tsx").then((m) => ({ default: m.JobPage })));
const AccountPage = lazy(() => import("./routes/account.tsx").then((m) => ({ default: m.AccountPage })));

export const App: Component = () => {
  const session = createSessionStore();
  void session.check();
  document.documentElement.lang = locale();
  return (
    <Router base="/admin" root={(props) => <AuthGate session={session}>{props.children}</AuthGate>}>
      <Route path="/" component={DashboardPage} />
      <Route path="/jobs" component={JobsPage} />
      <Route path="/jobs/new" component={JobEditorPage} />
      <Route path="/jobs/:id/edit" component={JobEditorPage} />
      <Route path="/jobs/:id" component={JobPage} />
      <Route path="/runs" component={RunsPage} />
      <Route path="/runs/:id" component={RunDetailPage} />
      <Route path="/tokens" component={TokensPage} />
      <Route path="/users" component={UsersPage} />
      <Route path="/account" component={AccountPage} />
      <Route path="/audit" component={AuditPage} />
      <Route path="*" component={() => <Navigate href="/jobs" />} />
    </Router>
  );
};
