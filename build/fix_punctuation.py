"""Dev tool: full-width punctuation next to Chinese in the string literals of Python files.

    python build/fix_punctuation.py [--check] FILE_OR_DIR...

Only string tokens are rewritten, never code: the file is read with ``tokenize`` and each string literal
(an f-string as a whole) is converted by ``domain.text.to_fullwidth_punct`` on its literal text only:
replacement fields ``{x:>3}`` of f-strings and ``str.format`` templates, %-formats (``%(name)s``,
``%-5d``) and escapes stay exactly as written. Left alone: byte strings, docstrings, patterns passed to
``re.*``, log messages passed to ``logger.*``, and any line carrying the marker ``# punct-ok``. ``--check`` lists what would change and exits 1.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shangnan_desktop.domain.text import to_fullwidth_punct  # noqa: E402

MARKER = "# punct-ok"
HOLE = "\ufffc"  # stands for a replacement field: neither Chinese nor Latin
_PREFIX = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")", re.S)
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_FORMAT_FIELD = re.compile(r"\{[^{}\u3400-\u9fff]*\}")


def _split_fstring(body: str) -> list[tuple[bool, str]]:
    """(is_literal, text) pieces of an f-string body; ``{{``/``}}`` stay literal, fields are kept whole."""
    pieces: list[tuple[bool, str]] = []
    literal, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch in "{}" and body[i : i + 2] in ("{{", "}}"):
            literal.append(body[i : i + 2])
            i += 2
            continue
        if ch == "{":
            pieces.append((True, "".join(literal)))
            literal = []
            depth, j, quote = 0, i, None
            while j < len(body):
                c = body[j]
                if quote:
                    if c == quote:
                        quote = None
                elif c in "'\"":
                    quote = c
                elif c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            pieces.append((False, body[i : j + 1]))
            i = j + 1
            continue
        literal.append(ch)
        i += 1
    pieces.append((True, "".join(literal)))
    return pieces


def _split_plain(body: str) -> list[tuple[bool, str]]:
    """(is_literal, text) pieces of a plain string: ``{name:spec}`` fields and %-formats are kept whole."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    spans = sorted(
        [(m.start(), m.end()) for m in _FORMAT_FIELD.finditer(body)]
        + [(m.start(), m.end()) for m in _PERCENT.finditer(body)]
    )
    for start, end in spans:
        if start < pos:
            continue
        pieces.append((True, body[pos:start]))
        pieces.append((False, body[start:end]))
        pos = end
    pieces.append((True, body[pos:]))
    return pieces


def convert_literal(source: str) -> str:
    """One string literal as written in source (prefix and quotes included), converted."""
    m = _PREFIX.match(source)
    if not m:
        return source
    prefix, quote = m.group(1), m.group(2)
    if "b" in prefix.lower():
        return source
    body = source[len(prefix) + len(quote) : len(source) - len(quote)]
    pieces = _split_fstring(body) if "f" in prefix.lower() else _split_plain(body)
    joined = HOLE.join(text for is_lit, text in pieces if is_lit)
    if HOLE in body:
        return source  # cannot mark the fields unambiguously; leave it
    literals = iter(to_fullwidth_punct(joined).split(HOLE))
    out = [next(literals) if is_lit else text for is_lit, text in pieces]
    return prefix + quote + "".join(out) + quote


def _literals(tokens: list[tokenize.TokenInfo]):
    """(start, end) of every string literal to convert; an f-string spans FSTRING_START..FSTRING_END."""
    fstart = getattr(tokenize, "FSTRING_START", None)
    fend = getattr(tokenize, "FSTRING_END", None)
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.type == tokenize.STRING or (fstart is not None and tok.type == fstart):
            first = k
            if tok.type == fstart:
                depth = 0
                while k < len(tokens):
                    if tokens[k].type == fstart:
                        depth += 1
                    elif tokens[k].type == fend:
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
            if not _skipped(tokens, first, k):
                yield tokens[first].start, tokens[k].end
        k += 1


def _significant(tokens, k, step):
    ignore = {tokenize.NL, tokenize.COMMENT}
    k += step
    while 0 <= k < len(tokens) and tokens[k].type in ignore:
        k += step
    return tokens[k] if 0 <= k < len(tokens) else None


def _skipped(tokens, first, last) -> bool:
    before = _significant(tokens, first, -1)
    after = _significant(tokens, last, 1)
    # A docstring (or any bare string statement).
    if (before is None or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)) and (
        after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER)
    ):
        return True
    # An argument of re.compile/re.sub/... (a pattern) or of logger.info/... (the developer's log)
    if before is not None and before.string == "(":
        k = first - 1
        while tokens[k].string != "(":
            k -= 1
        if k >= 3 and tokens[k - 1].type == tokenize.NAME and tokens[k - 2].string == "." and tokens[k - 3].string in ("re", "logger", "logging"):
            return True
    return False


def fix_source(source: str) -> str:
    """The module's source with its string literals converted; code and comments untouched."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(pos: tuple[int, int]) -> int:
        return offsets[pos[0] - 1] + pos[1]

    out, pos = [], 0
    for start, end in _literals(tokens):
        a, b = at(start), at(end)
        if any(MARKER in lines[r - 1] for r in range(start[0], end[0] + 1)):
            continue
        out.append(source[pos:a])
        out.append(convert_literal(source[a:b]))
        pos = b
    out.append(source[pos:])
    return "".join(out)


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Full-width punctuation next to Chinese in string literals.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--check", action="store_true", help="list files that would change; change nothing")
    args = parser.parse_args(argv)
    changed = []
    for path in _files(args.paths):
        source = path.read_text(encoding="utf-8")
        fixed = fix_source(source)
        if fixed != source:
            compile(fixed, str(path), "exec")  # never write a file that no longer parses
            changed.append(path)
            if not args.check:
                path.write_text(fixed, encoding="utf-8")
    for path in changed:
        print(("would fix " if args.check else "fixed ") + str(path))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
