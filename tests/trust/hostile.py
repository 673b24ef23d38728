"""The issue's three hostile workbooks (and small versions for CI), built as raw XML."""

from __future__ import annotations

import random
from pathlib import Path

from tests.trust import rawxlsx

HEADER = ["单位", "报送信息", "采用信息"]


def many_numbers(path: Path, sheets: int = 20, rows: int = 5000, cols: int = 30, header: bool = True) -> Path:
    """20 sheets × 5,000 rows × 30 numbers (about 18 MB): not an annex, only looks a bit like one."""
    rnd = random.Random(1)

    def body():
        start = 1
        if header:
            yield 1, ["2021年二季度统计表"]
            yield 2, HEADER + [f"列{i}" for i in range(cols - 3)]
            start = 3
        for r in range(start, rows + start):
            yield r, [rnd.randrange(10**6) for _ in range(cols)]

    return rawxlsx.write(path, [(f"表{i}", body(), "visible") for i in range(sheets)])


def many_shared_strings(path: Path, count: int = 2_300_000) -> Path:
    """A shared-string table of 2.3 million entries behind a small annex."""
    strings = (f"单位{i:07d}" for i in range(count))
    rows = [(1, ["2021年二季度统计表"]), (2, HEADER), (3, [rawxlsx.SharedRef(0), 1, 0])]
    return rawxlsx.write(path, [("镇办", rows, "visible")], shared=strings, shared_count=count)


def giant_name(path: Path, chars: int = 20_000_000, copies: int = 10) -> Path:
    """One 20-million-character unit name, on 10 rows (a shared string referenced 10 times)."""
    rnd = random.Random(2)
    alphabet = "商南县政府网站信息报送统计镇办部门中心局委员会试马过风楼富水湘河赵川金丝峡"
    name = "".join(rnd.choices(alphabet, k=chars))
    rows = [(1, ["2021年二季度统计表"]), (2, HEADER)]
    rows += [(3 + i, [rawxlsx.SharedRef(0), 1, 0]) for i in range(copies)]
    return rawxlsx.write(path, [("镇办", rows, "visible")], shared=[name], shared_count=1)


def giant_inline_name(path: Path, chars: int = 20_000_000) -> Path:
    rnd = random.Random(3)
    alphabet = "商南县政府网站信息报送统计镇办部门中心局委员会试马过风楼富水湘河赵川金丝峡"
    name = "".join(rnd.choices(alphabet, k=chars))
    rows = [(1, ["2021年二季度统计表"]), (2, HEADER), (3, [name, 1, 0])]
    return rawxlsx.write(path, [("镇办", rows, "visible")])
