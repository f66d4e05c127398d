// `npm start`: the app locally without Core Tools. Starts Azurite (blobs, queues, tables on the default ports
// 10000-10002, data kept on disk in .azurite/) unless storage already listens there or the environment names the
// storage (SimpleAiStorage and AzureWebJobsStorage, other than UseDevelopmentStorage=true), then runs
// src/SimpleAi.LocalHost (every function of the app: HTTP on http://localhost:7071, queues under the WebJobs
// listeners), and stops the Azurite it started when the app exits (Ctrl+C stops both).
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ports = [10000, 10001, 10002];

const listening = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });

const allListening = async () => (await Promise.all(ports.map(listening)));

// Storage the environment names for both the app and the host (a test's own Azurite, say): leave 10000-10002 alone.
const storageSettings = ["SimpleAiStorage", "AzureWebJobsStorage"];
const storageGiven = storageSettings.every((name) => (process.env[name] ?? "") !== "" && !/UseDevelopmentStorage=true/i.test(process.env[name]));

let azurite = null;
const open = storageGiven ? [] : await allListening();
if (storageGiven) {
  console.log(`Storage: ${storageSettings.join(" and ")} from the environment (no Azurite started).`);
} else if (open.every(Boolean)) {
  console.log("Storage is already listening on 10000-10002: using it.");
} else if (open.some(Boolean)) {
  console.error(`Some of the ports 10000-10002 are taken (${ports.filter((_, i) => open[i]).join(", ")}), not all: stop whatever holds them, or start a full Azurite there.`);
  process.exit(1);
} else {
  const location = join(root, ".azurite");
  mkdirSync(location, { recursive: true });
  const log = openSync(join(location, "azurite.log"), "a");
  // Disk persistence, not --inMemoryPersistence: in-memory Azurite stalls for tens of seconds under sustained load.
  // Its own process group, so that Ctrl+C reaches the app first and storage stays up while the app stops.
  azurite = spawn(process.execPath,
    [join(root, "node_modules", "azurite", "dist", "src", "azurite.js"), "--location", location, "--skipApiVersionCheck", "--disableTelemetry"],
    { cwd: root, stdio: ["ignore", log, log], detached: true });
  azurite.once("exit", (code) => {
    if (azurite !== null) {
      console.error(`Azurite exited (${code}); see .azurite/azurite.log.`);
    }
  });
  const deadline = Date.now() + 30_000;
  while (!(await allListening()).every(Boolean)) {
    if (Date.now() > deadline || azurite.exitCode !== null) {
      console.error("Azurite did not start listening on 10000-10002 within 30 s; see .azurite/azurite.log (did you run `npm ci`?).");
      stopAzurite();
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`Azurite started (pid ${azurite.pid}), data in .azurite/, log in .azurite/azurite.log.`);
}

function stopAzurite() {
  if (azurite !== null && azurite.exitCode === null) {
    const started = azurite;
    azurite = null;
    try { process.kill(-started.pid, "SIGTERM"); } catch { started.kill("SIGTERM"); }
  }
}

const app = spawn("dotnet", ["run", "--project", join("src", "SimpleAi.LocalHost")], { cwd: root, stdio: "inherit" });
// Ctrl+C in a terminal reaches the app by itself (same process group); a signal sent to this script only is passed on.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => { if (app.exitCode === null) app.kill(signal); });
}
app.once("exit", (code, signal) => {
  stopAzurite();
  process.exit(code ?? (signal ? 1 : 0));
});
