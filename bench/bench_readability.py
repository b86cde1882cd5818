"""Readability of every text group in a definitions folder (a script, not a test).

    python bench/bench_readability.py [--folder questionnaires] [--lang nl]

Prints a Markdown table, one row per text group (scoring.readability.text_groups): the texts, their
sentences, the mean words per sentence, the share of sentences over the audience's limit (15 words
for workers, 20 for employers), the longest sentence and Flesch-Douma over the group. With
``--long`` it lists the sentences over the limit. The method is in docs/readability.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import load_definitions  # noqa: E402
from scoring.readability import long_sentences, measure, text_groups  # noqa: E402


def table(folder: Path, lang: str) -> str:
    rows = ["| group | limit | texts | sentences | words/sentence | over limit | longest | Flesch-Douma |",
            "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for group in text_groups(load_definitions(folder)):
        m = measure((t(lang) for t in group.texts), group.limit)
        rows.append(f"| {group.name} | {group.limit} | {m.texts} | {m.sentences} | {m.mean_words:.1f} "
                    f"| {m.over_limit:.0f} % | {m.longest} | {m.flesch_douma:.0f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "questionnaires")
    parser.add_argument("--lang", default="nl", choices=["nl", "en"])
    parser.add_argument("--long", action="store_true", help="list the sentences over the limit")
    args = parser.parse_args()
    print(table(args.folder, args.lang))
    if args.long:
        for group in text_groups(load_definitions(args.folder)):
            for sentence in long_sentences((t(args.lang) for t in group.texts), group.limit):
                print(f"- {group.name}: {sentence}")


if __name__ == "__main__":
    main()
