"""Recompute every published score, rank and rate in tests/data/other_places/*.json exactly.

Run: python tests/data/other_places/verify.py [FILE ...]
Prints one summary line per file (and one line per mismatch) and exits 1 when a published
value disagrees with the file's stated rule and is not explained in that file's "slips" list
(or when a file is malformed). Arithmetic is fractions.Fraction throughout: no floats.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
RANK_METHODS = ("dense", "competition", "none", "undetermined")


def frac(text: str) -> Fraction:
    """Exact value of a published decimal string ("74.4", "205", "0.5")."""
    return Fraction(text.strip())


def dense_ranks(scores: list[Fraction]) -> list[int]:
    """中国式排名: equal scores share a rank, the next distinct score takes the next number."""
    distinct = sorted(set(scores), reverse=True)
    pos = {s: i + 1 for i, s in enumerate(distinct)}
    return [pos[s] for s in scores]


def competition_ranks(scores: list[Fraction]) -> list[int]:
    """Excel RANK: 1 + the number of strictly higher scores (1, 2, 2, 4)."""
    return [1 + sum(1 for o in scores if o > s) for s in scores]


def show(x) -> str:
    """A Fraction as the decimal a notice would print (exact when it terminates)."""
    if not isinstance(x, Fraction):
        return str(x)
    for places in range(0, 7):
        scaled = x * 10 ** places
        if scaled.denominator == 1:
            text = f"{scaled.numerator:0{places + 1 if scaled.numerator >= 0 else places + 2}d}"
            return text if places == 0 else text[:-places] + "." + text[-places:]
    return f"{x.numerator}/{x.denominator}"


def round_half_up(x: Fraction, places: int) -> Fraction:
    q = Fraction(10) ** places
    n = x * q
    floor = n.numerator // n.denominator
    return Fraction(floor + (1 if n - floor >= Fraction(1, 2) else 0)) / q


def parse_rate(text: str) -> Fraction:
    return frac(text.rstrip("%")) if text.strip() else Fraction(0)


def places_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


class Report:
    def __init__(self, name: str, slips: list[dict]):
        self.name = name
        self.slips = slips
        self.used: set[int] = set()
        self.counts = {"score": [0, 0], "partial": [0, 0], "rank": [0, 0], "rate": [0, 0], "cap": [0, 0]}
        self.lines: list[str] = []
        self.unexplained = 0
        self.explained = 0

    def check(self, kind: str, group: str, unit: str, published, computed, column: str | None = None) -> None:
        self.counts[kind][1] += 1
        if published == computed:
            self.counts[kind][0] += 1
            return
        if column:
            unit = f"{unit}/{column}"
        for i, slip in enumerate(self.slips):
            slip_unit = slip.get("unit", "") + ("/" + slip["column"] if slip.get("column") else "")
            if slip_unit == unit and slip.get("group") == group and slip.get("kind") == kind:
                self.used.add(i)
                self.explained += 1
                self.lines.append(f"  slip   {group}/{unit} {kind}: published {show(published)}, rule gives {show(computed)}"
                                  f" (explained in file)")
                return
        self.unexplained += 1
        self.lines.append(f"  ERROR  {group}/{unit} {kind}: published {show(published)}, rule gives {show(computed)}"
                          f" (NOT explained)")

    def error(self, text: str) -> None:
        self.unexplained += 1
        self.lines.append(f"  ERROR  {text}")


def verify(path: Path) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    rep = Report(path.name, data.get("slips", []))
    metrics = data["metrics"]
    names = [m["name"] for m in metrics]
    weighted = all(m.get("weight") is not None for m in metrics)
    weights = {m["name"]: frac(m["weight"]) for m in metrics} if weighted else {}
    method = data["rank_method"]
    if method not in RANK_METHODS:
        rep.error(f"unknown rank_method {method!r}")
        return rep
    rate = data.get("rate")
    notes: list[str] = []

    for group in data["groups"]:
        gname = group["name"]
        units = group["units"]
        computed: list[Fraction] = []
        for u in units:
            vals = u["values"]
            if set(vals) != set(names):
                rep.error(f"{gname}/{u['name']}: values {sorted(vals)} do not match metrics {names}")
                computed.append(Fraction(0))
                continue
            for m in metrics:
                text = vals[m["name"]]
                if m.get("decimal"):
                    if places_of(text) > m.get("places", 2):
                        rep.error(f"{gname}/{u['name']}: {m['name']}={text} has too many decimal places")
                    if m.get("max") is not None and frac(text) > frac(m["max"]):
                        rep.error(f"{gname}/{u['name']}: {m['name']}={text} exceeds its maximum {m['max']}")
                elif "." in text or frac(text) < 0:
                    rep.error(f"{gname}/{u['name']}: {m['name']}={text} is not a count")
                cap = m.get("cap")
                if cap:
                    rep.check("cap", gname, u["name"], frac(text) <= frac(vals[cap]), True, column=m["name"])
            score = sum((weights[n] * frac(vals[n]) for n in names), Fraction(0)) if weighted else None
            computed.append(score if score is not None else Fraction(0))
            if weighted and u.get("published_score") is not None:
                rep.check("score", gname, u["name"], frac(u["published_score"]), score)
            for m in metrics:
                col = m.get("partial_score_column")
                if col and weighted:
                    rep.check("partial", gname, u["name"], frac(u["published_partial_scores"][col]),
                              weights[m["name"]] * frac(vals[m["name"]]), column=col)
            if rate and "published_rate" in u:
                num, den = frac(vals[rate["numerator"]]), frac(vals[rate["denominator"]])
                if den == 0:
                    rep.check("rate", gname, u["name"], u["published_rate"], rate["zero_over_zero_published"])
                else:
                    value = round_half_up(num / den * 100, rate["places"])
                    rep.check("rate", gname, u["name"], parse_rate(u["published_rate"]), value)

        published = [u.get("published_rank") for u in units]
        if method == "none":
            if any(r is not None for r in published):
                rep.error(f"{gname}: rank_method none but ranks are published")
            continue
        if not weighted:
            continue
        dense, comp = dense_ranks(computed), competition_ranks(computed)
        if method == "undetermined":
            if dense != comp:
                rep.error(f"{gname}: rank_method undetermined but dense and competition differ here")
            ranks = dense
        else:
            ranks = dense if method == "dense" else comp
            other = comp if method == "dense" else dense
            fits_other = all(p == o for p, o in zip(published, other) if p is not None)
            notes.append(f"{gname}: {'both methods fit' if fits_other else method + ' only (the other method fails)'}")
        for u, pub, r in zip(units, published, ranks):
            if pub is not None:
                rep.check("rank", gname, u["name"], pub, r)
        if computed != sorted(computed, reverse=True):
            notes.append(f"{gname}: published order is not by score")

    for i, slip in enumerate(rep.slips):
        if i not in rep.used:
            rep.error(f"slip listed but no mismatch found: {slip.get('group')}/{slip.get('unit')} {slip.get('kind')}")
    rep.lines.extend("  note   " + n for n in notes)
    return rep


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(HERE.glob("*.json"))
    bad = 0
    for path in files:
        try:
            rep = verify(path)
        except (KeyError, ValueError, TypeError, ZeroDivisionError) as exc:
            print(f"{path.name}: MALFORMED ({type(exc).__name__}: {exc})")
            bad += 1
            continue
        parts = [f"{k} {ok}/{n}" for k, (ok, n) in rep.counts.items() if n]
        status = "OK" if rep.unexplained == 0 else "FAIL"
        print(f"{rep.name}: {status}; matches: {', '.join(parts) or 'nothing checkable'};"
              f" slips explained: {rep.explained}; unexplained: {rep.unexplained}")
        for line in rep.lines:
            print(line)
        bad += rep.unexplained > 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
