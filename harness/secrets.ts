/**
 * Wire-level special values of the Pulumi property protocol and helpers to work with secrets.
 *
 * The harness represents a secret exactly as it travels on the wire between the engine, the
 * language SDK and providers: the object `{ "4dabf18193072939515e22adb298388d":
 * "1b47061264138c4ac30d75fd1eb44270", value: <plaintext> }` (see `runtime/rpc.js` of
 * `@pulumi/pulumi`). Keeping the wire form (instead of a class) means state stays plain JSON, can be
 * saved and loaded, and compares with `toEqual` in tests, while secretness stays visible.
 *
 * @packageDocumentation
 */

/** Key that marks special objects (secrets, assets, resource references) on the wire. */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Signature value of a secret under {@link SPECIAL_SIG_KEY}. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Signature value of a resource reference under {@link SPECIAL_SIG_KEY}. */
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/**
 * The UNKNOWN sentinel: the string that stands for a value not known yet (during preview),
 * whatever the declared type of the property.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A map of property names to wire-format values (JSON plus the special objects above). */
export type PropertyMap = Record<string, unknown>;

/** A secret in wire form: what the harness stores and returns wherever a value is secret. */
export interface Secret<T = unknown> {
  /** Marks the object as a secret. */
  readonly [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  /** The plaintext value. */
  readonly value: T;
}

/** Returns `value` wrapped as a wire-format secret (what `pulumi config set --secret` sends). */
export function secret<T>(value: T): Secret<T> {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** Tells whether a value is a plain (non-array, non-null) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Tells whether `value` is a wire-format secret. */
export function isSecret(value: unknown): value is Secret {
  return isPlainObject(value) && value[SPECIAL_SIG_KEY] === SECRET_SIG;
}

/** Tells whether `value` is the UNKNOWN sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Returns the plaintext of a secret, or the value itself when it is not a secret (shallow). */
export function unwrapSecret(value: unknown): unknown {
  return isSecret(value) ? value.value : value;
}

/** Tells whether `value` is, or contains at any depth, a secret. */
export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsSecrets);
  }
  if (isPlainObject(value)) {
    return Object.values(value).some(containsSecrets);
  }
  return false;
}

/**
 * Removes every secret wrapper, at any depth, keeping the plaintext. This is what the engine does
 * before it sends properties to a provider that answered Configure with `acceptSecrets=false`.
 */
export function stripSecrets(value: unknown): unknown {
  if (isSecret(value)) {
    return stripSecrets(value.value);
  }
  if (Array.isArray(value)) {
    return value.map(stripSecrets);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = stripSecrets(v);
    }
    return out;
  }
  return value;
}

/** {@link stripSecrets} for a property map. */
export function stripSecretsFromMap(map: PropertyMap): PropertyMap {
  return stripSecrets(map) as PropertyMap;
}

/**
 * Copies secretness from inputs to outputs, a port of the engine's Go `annotateSecrets`
 * (`sdk/go/common/resource/plugin/provider_plugin.go`): for every key present in both maps, when
 * both values are objects it recurses; otherwise, when the input value contains a secret anywhere,
 * the whole output value becomes secret (so an array with one secret element becomes one secret
 * array, which is deliberate upstream: element order may change across an operation).
 *
 * Returns a new map; neither argument is modified.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    if (!Object.prototype.hasOwnProperty.call(result, key)) {
      continue;
    }
    const outValue = result[key];
    // A secret is not an "object" for this rule: the Go PropertyValue of a secret is a Secret,
    // not an Object, so a secret object input makes the whole output value secret.
    if (isPlainObject(outValue) && !isSecret(outValue) && isPlainObject(inValue) && !isSecret(inValue)) {
      result[key] = annotateSecrets(outValue, inValue);
    } else if (!isSecret(outValue) && containsSecrets(inValue)) {
      result[key] = secret(outValue);
    }
  }
  return result;
}

/** Returns the top-level keys of `map` whose values are secret. */
export function secretKeys(map: PropertyMap): string[] {
  return Object.keys(map).filter((k) => isSecret(map[k]));
}

/**
 * Wraps the named top-level outputs as secrets, as the engine does for the
 * `additionalSecretOutputs` resource option after every step. Missing keys are ignored.
 */
export function applyAdditionalSecretOutputs(outputs: PropertyMap, names: readonly string[]): PropertyMap {
  if (names.length === 0) {
    return outputs;
  }
  const result: PropertyMap = { ...outputs };
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(result, name) && !isSecret(result[name])) {
      result[name] = secret(result[name]);
    }
  }
  return result;
}

/**
 * Tells whether the plaintext `needle` occurs anywhere in `state` outside secret-wrapped values.
 *
 * In a real stack the engine encrypts secret values in the checkpoint, so only values outside
 * secret wrappers would be readable there. Use it for "no password in state" checks:
 * `expect(containsPlaintext(engine.state, password)).toBe(false)`.
 *
 * `state` may be any JSON-like value, a `Map` (such as `MiniEngine.state`), or a JSON string (a
 * saved state file). Object keys are scanned too.
 */
export function containsPlaintext(state: unknown, needle: string): boolean {
  if (needle === "") {
    throw new Error("containsPlaintext: the needle must not be empty");
  }
  let root: unknown = state;
  if (typeof state === "string") {
    try {
      root = JSON.parse(state);
    } catch {
      // Not JSON: treat it as raw text that has no secret wrappers.
      return state.includes(needle);
    }
  }
  // A JSON round-trip turns Maps (via the replacer), class instances and undefined into the same
  // plain data a state file would hold.
  const plain: unknown = JSON.parse(
    JSON.stringify(root, (_key, value: unknown) =>
      value instanceof Map ? Object.fromEntries(value) : value,
    ) ?? "null",
  );
  return scan(plain, needle);
}

function scan(value: unknown, needle: string): boolean {
  if (isSecret(value)) {
    return false;
  }
  if (typeof value === "string") {
    return value.includes(needle);
  }
  if (Array.isArray(value)) {
    return value.some((v) => scan(v, needle));
  }
  if (isPlainObject(value)) {
    return Object.entries(value).some(([k, v]) => k.includes(needle) || scan(v, needle));
  }
  return false;
}
