/**
 * The control plane under `/_emulator/`: HTTP access to the same operations the {@link Emulator}
 * object offers in-process. No authentication and no request log; answers are JSON, failures
 * `400 {"error": "<what is wrong>"}`.
 */
import { z } from "zod";
import { describeIssues, parseOrThrow } from "./core/rest";
import type { EmulatorRequest, Reply } from "./core/types";
import type { ConfigData, Emulator, ForceStateCommand, SeedData } from "./server";

const Advance = z.object({ seconds: z.number().min(0) }).strict();
const Reset = z.object({ seed: z.enum(["demo", "empty"]).optional() }).strict();
const ServiceCommand = z.object({ service: z.string().min(1) }).loose();
const ObjectBody = z.record(z.string(), z.unknown());

function ok(json: unknown): Reply {
  return { status: 200, json };
}

function bad(message: string, status = 400): Reply {
  return { status, json: { error: message } };
}

function parseJson(req: EmulatorRequest): unknown {
  const text = (req.body ?? "").trim();
  if (text === "") return {};
  return JSON.parse(text);
}

/** Every control-plane route, for the 404 answer. */
const ROUTES = [
  "GET /_emulator/health",
  "POST /_emulator/reset",
  "GET /_emulator/requests",
  "DELETE /_emulator/requests",
  "POST /_emulator/seed",
  "POST /_emulator/advance",
  "GET /_emulator/clock",
  "POST /_emulator/force-state",
  "GET /_emulator/faults",
  "POST /_emulator/faults",
  "DELETE /_emulator/faults",
  "GET /_emulator/config",
  "POST /_emulator/config",
  "GET /_emulator/state",
];

/** Answers one control-plane request. */
export function handleControl(emu: Emulator, req: EmulatorRequest): Reply {
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /_emulator/health":
        return ok({ ok: true, url: emu.url, now: emu.now().toISOString() });
      case "POST /_emulator/reset": {
        const r = parseOrThrow(Reset, parseJson(req));
        emu.reset(r.seed);
        return ok({ reset: true });
      }
      case "GET /_emulator/requests": {
        const service = req.query.get("service");
        const operation = req.query.get("operation");
        return ok(
          emu
            .requests()
            .filter(
              (e) =>
                (service === null || e.service === service) &&
                (operation === null || e.operation === operation),
            ),
        );
      }
      case "DELETE /_emulator/requests":
        emu.clearRequests();
        return ok({ cleared: true });
      case "POST /_emulator/seed":
        emu.seed(parseOrThrow(ObjectBody, parseJson(req)) as SeedData);
        return ok({ seeded: true });
      case "POST /_emulator/advance": {
        const a = parseOrThrow(Advance, parseJson(req));
        return ok({ now: emu.advance(a.seconds).toISOString() });
      }
      case "GET /_emulator/clock":
        return ok({ now: emu.now().toISOString() });
      case "POST /_emulator/force-state":
        emu.forceState(parseOrThrow(ServiceCommand, parseJson(req)) as ForceStateCommand);
        return ok({ forced: true });
      case "GET /_emulator/faults":
        return ok(emu.faults());
      case "POST /_emulator/faults": {
        const body = parseJson(req);
        const list = Array.isArray(body) ? body : [body];
        const added = list.map((f) => emu.injectFault(f as Parameters<Emulator["injectFault"]>[0]));
        return ok(Array.isArray(body) ? added : added[0]);
      }
      case "DELETE /_emulator/faults":
        emu.clearFaults();
        return ok({ cleared: true });
      case "GET /_emulator/config":
        return ok(emu.config());
      case "POST /_emulator/config":
        emu.configure(parseOrThrow(ObjectBody, parseJson(req)) as ConfigData);
        return ok(emu.config());
      case "GET /_emulator/state":
        return ok(emu.state());
      default:
        return bad(`no control-plane route ${route}; routes: ${ROUTES.join(", ")}`, 404);
    }
  } catch (e) {
    if (e instanceof z.ZodError) return bad(describeIssues(e.issues));
    return bad((e as Error).message);
  }
}
