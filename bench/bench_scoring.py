"""Benchmark of the scoring core on the shipped definitions (a script, not a test).

    python bench/bench_scoring.py [--seconds 3] [--seed 20240501] [--profile]

Measures, on one core:
* responses (check-ups) per second through ``scoring.evaluate(defs, slug, answers, profile,
  validate=True)`` (validate, score and advise) for random but seeded answer sets, per questionnaire;
* the time of ``scoring.group_profile`` over 10,000 scored responses.

Prints a markdown table with the figures and the floors they must stay above. ``--profile`` adds a
cProfile listing of the evaluate loop, to see where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import (  # noqa: E402
    advise,
    evaluate,
    group_profile,
    load_definitions,
    score,
    validate_submission,
)

TARGET_RPS = 5_000
TARGET_AGGREGATE_S = 0.5
GROUP_SIZE = 10_000


def random_submission(rng: random.Random, q) -> tuple[dict, dict]:
    """Answers to about 90% of the items (some "don't know") and a valid profile."""
    answers: dict[str, int | None] = {}
    for item in q.items:
        roll = rng.random()
        if roll < 0.9:
            answers[item.id] = rng.randint(q.scale.min, q.scale.max)
        elif roll < 0.95 and item.allow_unknown:
            answers[item.id] = None
    profile = {}
    for question in q.profile:
        if question.required or rng.random() < 0.5:
            profile[question.id] = rng.choice(question.options).value
    return answers, profile


def responses_per_second(defs, slug: str, seconds: float, seed: int,
                         render: bool = False) -> tuple[float, int]:
    """Evaluate pre-generated submissions in a loop for ``seconds``; (responses/s, count)."""
    rng = random.Random(seed)
    q = defs.questionnaires[slug]
    pool = [random_submission(rng, q) for _ in range(2_000)]
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for answers, profile in pool:
            ev = evaluate(defs, slug, answers, profile, validate=True)
            if render:
                ev.to_dict(defs, "nl")
        done += len(pool)
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start), done


def aggregate_seconds(defs, slug: str, seed: int, repeat: int = 5) -> tuple[float, float]:
    """(first, best) wall time of group_profile over GROUP_SIZE scored responses."""
    rng = random.Random(seed)
    q = defs.questionnaires[slug]
    factor_ids = [f.id for f in defs.model.factors]
    results = [score(q, random_submission(rng, q)[0], factor_ids) for _ in range(GROUP_SIZE)]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        group_profile(results)
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def stage_microseconds(defs, slug: str, seed: int, n: int = 2_000, repeat: int = 5) -> dict:
    """Mean time per response of each step that evaluate takes, in microseconds."""
    rng = random.Random(seed)
    q = defs.questionnaires[slug]
    model, catalog = defs.model, defs.catalog
    factor_ids = [f.id for f in model.factors]
    pool = [random_submission(rng, q) for _ in range(n)]
    scored = [(score(q, a, factor_ids), q.segments_for(p)) for a, p in pool]
    steps = {
        "validate": lambda: [validate_submission(q, a, p) for a, p in pool],
        "score": lambda: [score(q, a, factor_ids) for a, _ in pool],
        "segments": lambda: [q.segments_for(p) for _, p in pool],
        "advise": lambda: [advise(model, catalog, r, q.scoring.high, sg) for r, sg in scored],
    }
    out = {}
    for name, run in steps.items():
        best = min(_timed(run) for _ in range(repeat))
        out[name] = best / n * 1e6
    return out


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def profile_evaluate(defs, slug: str, seed: int, n: int = 20_000) -> str:
    rng = random.Random(seed)
    q = defs.questionnaires[slug]
    pool = [random_submission(rng, q) for _ in range(1_000)]
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        answers, profile = pool[i % len(pool)]
        evaluate(defs, slug, answers, profile, validate=True)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="run time per questionnaire")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--definitions", type=Path, default=ROOT / "questionnaires")
    parser.add_argument("--profile", action="store_true", help="add a cProfile listing")
    args = parser.parse_args(argv)

    defs = load_definitions(args.definitions)
    slugs = sorted(defs.questionnaires)
    rows = []
    missed = False
    for slug in slugs:
        rps, n = responses_per_second(defs, slug, args.seconds, args.seed)
        ok = rps >= TARGET_RPS
        missed |= not ok
        items = len(defs.questionnaires[slug].items)
        rows.append((f"evaluate `{slug}` ({items} items, validate=True)", f"{rps:,.0f} responses/s",
                     f"≥ {TARGET_RPS:,} responses/s", "yes" if ok else "**no**",
                     f"{n:,} responses"))
    for slug in slugs:
        rps, n = responses_per_second(defs, slug, args.seconds / 2, args.seed, render=True)
        rows.append((f"evaluate + to_dict `{slug}`", f"{rps:,.0f} responses/s", "(information)", "",
                     f"{n:,} responses"))
    for slug in slugs:
        first, best = aggregate_seconds(defs, slug, args.seed)
        ok = first < TARGET_AGGREGATE_S
        missed |= not ok
        rows.append((f"group_profile over {GROUP_SIZE:,} `{slug}` results", f"{first:.3f} s",
                     f"< {TARGET_AGGREGATE_S} s", "yes" if ok else "**no**",
                     f"best of 5: {best:.3f} s"))

    print(f"Python {sys.version.split()[0]}, one core, seed {args.seed}\n")
    print("| measure | figure | target | met | note |")
    print("|---|---:|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nTime per response by step (µs, best of 5 runs over 2,000 responses):\n")
    print("| questionnaire | validate | score | segments | advise |")
    print("|---|---:|---:|---:|---:|")
    for slug in slugs:
        us = stage_microseconds(defs, slug, args.seed)
        print(f"| `{slug}` | " + " | ".join(f"{us[k]:.1f}" for k in
                                          ("validate", "score", "segments", "advise")) + " |")
    if args.profile or missed:
        for slug in slugs:
            print(f"\ncProfile of evaluate on `{slug}` (sorted by own time):\n")
            print(profile_evaluate(defs, slug, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
