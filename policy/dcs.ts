/**
 * Rules for `huaweicloud.dcs.MigrationTask` (Huawei Cloud Distributed Cache Service).
 *
 * @packageDocumentation
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { DCS_TASK_TYPE, forType } from "./common";

/** Name of the rule that bounds the bandwidth of online incremental DCS migrations. */
export const DCS_BANDWIDTH_LIMIT_BOUNDS = "dcs-bandwidth-limit-bounds";

/** Configuration of `dcs-bandwidth-limit-bounds`, in MB/s, as `--policy-pack-config` sets it. */
export interface DcsBandwidthBounds {
  /** Smallest allowed `bandwidthLimitMb`. */
  minMb: number;
  /** Largest allowed `bandwidthLimitMb`. */
  maxMb: number;
}

/** Bounds used for whatever the policy configuration leaves out. */
export const DCS_BANDWIDTH_DEFAULTS: Readonly<DcsBandwidthBounds> = Object.freeze({ minMb: 1, maxMb: 1024 });

// The API accepts 1 to 10240 MB/s, so bounds outside that range could never be met.
const API_MIN_MB = 1;
const API_MAX_MB = 10240;

/**
 * The bounds in effect. The CLI validates `--policy-pack-config` against the schema and fills its
 * defaults, but the pack can also run without any Configure call (or be called directly), so the
 * defaults are applied here as well; contradictory bounds are a configuration error, not a
 * violation of the resource, so they fail the run instead of blaming every task.
 */
export function dcsBandwidthBounds(args: Pick<ResourceValidationArgs, "getConfig">): DcsBandwidthBounds {
  const cfg = args.getConfig<Partial<Record<keyof DcsBandwidthBounds, unknown>>>();
  const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
  const bounds = {
    minMb: num(cfg.minMb, DCS_BANDWIDTH_DEFAULTS.minMb),
    maxMb: num(cfg.maxMb, DCS_BANDWIDTH_DEFAULTS.maxMb),
  };
  // Only properties and required reach the engine's schema check, so a misspelt bound (maxMB)
  // is caught here rather than quietly leaving the default in force.
  const unknown = Object.keys(cfg).filter((k) => k !== "minMb" && k !== "maxMb");
  if (unknown.length > 0) {
    throw new Error(
      `${DCS_BANDWIDTH_LIMIT_BOUNDS}: unknown config ${unknown.map((k) => JSON.stringify(k)).join(", ")}; the settings are minMb and maxMb`,
    );
  }
  if (bounds.minMb > bounds.maxMb) {
    throw new Error(
      `${DCS_BANDWIDTH_LIMIT_BOUNDS}: minMb (${bounds.minMb}) must not exceed maxMb (${bounds.maxMb})`,
    );
  }
  return bounds;
}

/**
 * `dcs-bandwidth-limit-bounds` (mandatory): an online DCS task with `migrationMethod:
 * incremental_migration` must set `bandwidthLimitMb`, between `minMb` and `maxMb` (configurable,
 * default 1 to 1024). The DCS documentation gives the setting to online incremental migrations
 * only, and those keep syncing for as long as they run, so an uncapped one loads the source
 * for hours or days rather than minutes.
 */
export const dcsBandwidthLimitBounds: ResourceValidationPolicy = {
  name: DCS_BANDWIDTH_LIMIT_BOUNDS,
  displayName: "DCS incremental migration bandwidth within bounds",
  description:
    "An online incremental DCS migration task must set bandwidthLimitMb within the bounds the policy allows.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set bandwidthLimitMb within the bounds of the policy (minMb to maxMb, MB/s).",
  configSchema: {
    properties: {
      minMb: {
        type: "integer",
        minimum: API_MIN_MB,
        maximum: API_MAX_MB,
        default: DCS_BANDWIDTH_DEFAULTS.minMb,
        description: "Smallest allowed bandwidthLimitMb, in MB/s.",
      },
      maxMb: {
        type: "integer",
        minimum: API_MIN_MB,
        maximum: API_MAX_MB,
        default: DCS_BANDWIDTH_DEFAULTS.maxMb,
        description: "Largest allowed bandwidthLimitMb, in MB/s.",
      },
    },
  },
  validateResource: forType(DCS_TASK_TYPE, (args, reportViolation) => {
    if (args.props.kind !== "online" || args.props.migrationMethod !== "incremental_migration") {
      args.notApplicable("The task is not an online incremental migration");
    }
    const { minMb, maxMb } = dcsBandwidthBounds(args);
    const limit: unknown = args.props.bandwidthLimitMb;
    if (limit === undefined || limit === null) {
      reportViolation(
        `The online incremental migration sets no bandwidthLimitMb. Set it between ${minMb} and ` +
          `${maxMb} MB/s: uncapped, the migration competes with the source Redis's clients for its ` +
          "network for as long as the task keeps syncing.",
      );
    } else if (typeof limit !== "number") {
      // The value is not echoed: it is not a bandwidth, and it could be anything, a secret included.
      reportViolation(`bandwidthLimitMb must be a number of MB/s between ${minMb} and ${maxMb}.`);
    } else if (limit < minMb || limit > maxMb) {
      reportViolation(`bandwidthLimitMb ${limit} MB/s is outside the allowed ${minMb} to ${maxMb} MB/s.`);
    }
  }),
};
