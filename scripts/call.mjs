// `npm run call`: the third command of README's Quick start. Sends one signed call.completed (a new call id) to the
// app that `npm start` runs, then shows that call's `simpleai-webhooks status` until its run has ended: completed
// (exit 0) or failed (exit 1). The signing secret is the first of Webhook__SigningSecrets in
// src/SimpleAi.Functions/local.settings.json, else local.settings.sample.json; the app's address is
// SIMPLEAI_LOCAL_URL, else http://localhost:7071 (as for npm start).
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const settingsFile = [join(root, "src", "SimpleAi.Functions", "local.settings.json"), join(root, "local.settings.sample.json")].find(existsSync);
const secret = (process.env.Webhook__SigningSecrets ?? JSON.parse(readFileSync(settingsFile, "utf8")).Values?.Webhook__SigningSecrets ?? "").split(" ")[0];
const app = (process.env.SIMPLEAI_LOCAL_URL ?? "http://localhost:7071").replace(/\/$/, "");
const callId = process.argv[2] ?? randomUUID();
const timeoutSeconds = Number(process.env.SIMPLEAI_CALL_TIMEOUT_SECONDS ?? 120);

const build = spawnSync("dotnet", ["build", join("src", "SimpleAi.Cli"), "-v", "quiet", "-nologo", "-clp:NoSummary"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
if (build.status !== 0) {
  console.error("Building the CLI (src/SimpleAi.Cli) failed: run `dotnet build src/SimpleAi.Cli` to see why.");
  process.exit(2);
}

const cli = join(root, "src", "SimpleAi.Cli", "bin", "Debug", "net10.0", process.platform === "win32" ? "simpleai-webhooks.exe" : "simpleai-webhooks");
const run = (...args) => spawnSync(cli, args, { cwd: root, encoding: "utf8" });

const sent = run("send", "call.completed", "--url", `${app}/api/webhooks/simple-ai`, "--secret", secret, "--call-id", callId);
process.stdout.write(sent.stdout);
process.stderr.write(sent.stderr);
if (sent.status !== 0) {
  console.error(`The app at ${app} did not accept the call: is \`npm start\` running?`);
  process.exit(sent.status ?? 2);
}

// status: 0 completed, 1 failed, 3 in progress (or no run yet), 4 nothing known yet (not routed).
const deadline = Date.now() + timeoutSeconds * 1000;
let status = run("status", callId);
while (status.status !== 0 && status.status !== 1 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  status = run("status", callId);
}

process.stdout.write(status.stdout);
process.stderr.write(status.stderr);
if (status.status !== 0 && status.status !== 1) {
  console.error(`The run of ${callId} had not ended after ${timeoutSeconds} s; see \`simpleai-webhooks status ${callId}\`.`);
}

process.exit(status.status ?? 2);
