"""Run every benchmark: ``python -m benchmarks [--runs N] [--only NAME ...] [--quick] [--json]``.

Exit status: 0 every target met, 1 a target missed, 2 a benchmark could not run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time

from benchmarks import AT_LEAST, BELOW, BenchmarkUnavailable, Result

#: The modules, in the order of issue 9's table; each has ``NAME`` and ``run(runs, quick)``.
MODULES = ("startup", "film_start", "checkin_search", "sync_export", "sync_import", "media_verify",
           "idle_memory", "playing_memory", "event_loop_stall", "bundle_start", "checkin_keystrokes", "office_import",
           "office_report", "donor_xlsx", "readers", "learning_report")


def number(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def describe(result: Result) -> str:
    verdict = "met" if result.passed else "NOT met"
    unit = result.unit
    if result.baseline is None:
        sign = "<" if result.judge == BELOW else "≤"
        text = (f"{result.name}: ours {number(result.ours)} {unit}, baseline —, "
                f"ratio to target {result.ratio:.2f} (target {sign} {number(result.target)} {unit}: {verdict})")
    else:
        sign = "≥" if result.judge == AT_LEAST else "≤"
        label = f" ({result.baseline_label})" if result.baseline_label else ""
        text = (f"{result.name}: ours {number(result.ours)} {unit}, baseline{label} {number(result.baseline)} {unit}, "
                f"ratio {result.ratio:.2f} (target {sign} {result.target:.2f}: {verdict})")
    extra = ", ".join(f"{key.replace('_', ' ')} {number(value)}" for key, value in result.extra.items())
    return text + (f"\n  not judged: {extra}" if extra else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, metavar="N", help="timed runs of each side (default 7)")
    parser.add_argument("--only", action="append", choices=MODULES, metavar="NAME",
                        help="run only this benchmark (repeatable): " + ", ".join(MODULES))
    parser.add_argument("--quick", action="store_true",
                        help="small inputs, to check the benchmarks themselves work (figures mean nothing)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    names = [name for name in MODULES if not args.only or name in args.only]
    results: list[Result] = []
    failures: dict[str, str] = {}
    if not args.json:
        print(f"{args.runs} interleaved runs each, after a warm-up; medians" + (" (quick: small inputs)"
                                                                                 if args.quick else ""), flush=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        try:
            produced = module.run(args.runs, quick=args.quick)
        except BenchmarkUnavailable as exc:
            failures[name] = str(exc)
            print(f"error: {name}: {exc}", file=sys.stderr, flush=True)
            continue
        results.extend(produced)
        if not args.json:
            for result in produced:
                print(describe(result), flush=True)
            print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.json:
        print(json.dumps({"runs": args.runs, "quick": args.quick, "results": [r.to_dict() for r in results],
                          "unavailable": failures, "passed": not failures and all(r.passed for r in results)},
                         indent=2, ensure_ascii=False))
    if failures:
        return 2
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
