/**
 * Progress lines for the user, through `pulumi.log`. Inside the dynamic-provider process the
 * SDK has no engine connection and prints them on standard output, which the engine shows as
 * the resource's diagnostics.
 */
import type * as Pulumi from "@pulumi/pulumi";

export type Logger = (msg: string) => void;

const pulumiLog: Logger = (msg) => {
  // Loaded lazily: the SDK is a peer dependency and only needed when a line is written.
  const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
  void pulumi.log.info(msg);
};

let sink: Logger = pulumiLog;

/** Writes one progress line. */
export function logInfo(msg: string): void {
  sink(msg);
}

/** Redirects progress lines (tests capture them). Returns the previous sink. */
export function setLogSink(l: Logger): Logger {
  const prev = sink;
  sink = l;
  return prev;
}
