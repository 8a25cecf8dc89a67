"""Run every benchmark: ``python -m benchmarks [--runs N] [--json]``.

Exit status: 0 every target met, 1 a target missed, 2 a benchmark could not run.
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks import BenchmarkUnavailable, Result, startup

#: Each module has ``run(runs: int) -> Result``; add new ones here.
BENCHMARKS = (startup,)


def describe(result: Result) -> str:
    verdict = "met" if result.passed else "NOT met"
    text = (f"{result.name}: ours {result.ours:.0f} {result.unit}, baseline {result.baseline:.0f} {result.unit}, "
            f"ratio {result.ratio:.2f} (target ≤ {result.target:.2f}: {verdict})")
    extra = ", ".join(f"{key.replace('_', ' ')} {value:.0f} {result.unit}" for key, value in result.extra.items())
    return text + (f"\n  not judged: {extra}" if extra else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, metavar="N", help="timed runs of each side (default 7)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        results = [benchmark.run(args.runs) for benchmark in BENCHMARKS]
    except BenchmarkUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"runs": args.runs, "results": [r.to_dict() for r in results],
                          "passed": all(r.passed for r in results)}, indent=2, ensure_ascii=False))
    else:
        print(f"{args.runs} interleaved runs each, after one warm-up; medians")
        for result in results:
            print(describe(result))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
