import { startEmulator } from "../../emulator";
import { runScenario } from "./run";
(async () => {
  const emu = await startEmulator({ timeScale: 0 });
  try {
    const r = await runScenario(process.argv[2], emu.url);
    for (const x of r) console.log(x.ok ? "ok  " : "FAIL", x.op, "|", x.case, x.ok ? "" : "| " + x.detail.slice(0, 1500));
  } finally { await emu.close(); }
})();
