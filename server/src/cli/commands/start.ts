import { runProcess } from "../../process.ts";
import type { Command } from "../command.ts";

const start: Command = {
  name: "start",
  summary: "Run ConnectHub: all (default), api or worker",
  usage: `Usage: connecthub start [all|api|worker]
  all     API, admin, dispatcher and worker in one process (what \`npm start\` runs)
  api     GraphQL API and admin only
  worker  dispatcher and executions only (run as many as you need in server mode)`,
  async run(args) {
    await runProcess(args[0] ?? "all");
  },
};
export default start;
