"""
Shared helpers of the official-SDK scenarios: each scenario drives the emulator with a vendor's own
Python service SDK, records one result per operation and case, and prints them as JSON on stdout
for the jest test that spawned it (tests/official-sdk.test.ts).

A result is a failure when the SDK raised where it should not, raised the wrong exception, or
deserialised an answer into a model with a field missing that the service documents as returned.
"""

import json
import sys
import traceback
import urllib.request
from fnmatch import fnmatch


class Scenario:
    """The emulator's URL, its control plane, and the results of one scenario."""

    def __init__(self):
        if len(sys.argv) != 3:
            raise SystemExit("usage: <scenario>.py <emulator url> <context json>")
        self.url = sys.argv[1].rstrip("/")
        # Credentials and demo ids, handed over by the test so that they live in one place.
        self.ctx = json.loads(sys.argv[2])
        self.results = []

    # -- control plane (/_emulator/, no authentication) -----------------------------------------

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req) as res:
            raw = res.read()
            return json.loads(raw) if raw else None

    def fault(self, **spec):
        self.control("POST", "faults", spec)

    def advance(self, seconds):
        self.control("POST", "advance", {"seconds": seconds})

    def logged(self, operation):
        """Request-log entries of one operation, oldest first."""
        return self.control("GET", f"requests?operation={operation}")

    def reset(self, seed="demo"):
        self.control("DELETE", "faults")
        self.control("POST", "reset", {"seed": seed})

    # -- results -----------------------------------------------------------------------------------

    def record(self, op, case, ok, detail=""):
        self.results.append({"op": op, "case": case, "ok": bool(ok), "detail": detail})

    def call(self, op, case, fn, check=None):
        """Runs fn(); a raise is a failure. check(result) returns a list of problems (empty: fine)."""
        try:
            res = fn()
        except Exception as e:  # noqa: BLE001 - any raise is the finding
            self.record(op, case, False, f"raised {type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")
            return None
        try:
            problems = check(res) if check else []
        except Exception as e:  # noqa: BLE001 - an answer the check cannot read is a finding too
            problems = [f"check raised {type(e).__name__}: {e}"]
        self.record(op, case, not problems, "; ".join(problems))
        return res

    def expect_error(self, op, case, fn, exc_type, check):
        """Runs fn(), which must raise exc_type; check(exception) returns a list of problems."""
        try:
            fn()
        except exc_type as e:
            try:
                problems = check(e)
            except Exception as ce:  # noqa: BLE001
                problems = [f"check raised {type(ce).__name__}: {ce}"]
            self.record(op, case, not problems, "; ".join(problems))
            return e
        except Exception as e:  # noqa: BLE001
            self.record(op, case, False, f"raised {type(e).__name__} instead of {exc_type.__name__}: {e}")
            return None
        self.record(op, case, False, f"did not raise {exc_type.__name__}")
        return None

    def done(self):
        json.dump({"results": self.results}, sys.stdout)
        sys.stdout.write("\n")


# -- model checks ----------------------------------------------------------------------------------


def _fields(model):
    """Field names of a Huawei (openapi_types) or Alibaba Tea (instance attributes) model."""
    types = getattr(type(model), "openapi_types", None)
    if types is not None:
        return list(types)
    return [k for k in vars(model) if not k.startswith("_")]


def _is_model(v):
    return hasattr(type(v), "openapi_types") or (hasattr(v, "to_map") and hasattr(v, "from_map"))


def missing_fields(model, absent_ok=(), prefix=""):
    """
    Dotted paths of the model's fields that came back as None (after deserialisation), except the
    patterns in absent_ok (fnmatch, e.g. "clone_server.*"): a field the documents say is returned
    but that the answer did not carry, or carried under another name or of another type.
    """
    out = []
    for name in _fields(model):
        path = f"{prefix}{name}"
        v = getattr(model, name, None)
        if v is None:
            if not any(fnmatch(path, p) for p in absent_ok):
                out.append(path)
        elif _is_model(v):
            out += missing_fields(v, absent_ok, f"{path}.")
        elif isinstance(v, list):
            for item in v:
                if _is_model(item):
                    out += missing_fields(item, absent_ok, f"{path}[].")
    return sorted(set(out))


def complete(absent_ok=(), extra=None):
    """A check: the model has every documented field; extra(res) may add problems of its own."""

    def check(res):
        problems = [f"missing {p}" for p in missing_fields(res, absent_ok)]
        if extra:
            problems += extra(res) or []
        return problems

    return check


def expect(cond, message):
    return [] if cond else [message]
