"""The scoring rule: ``rule show PERIOD`` and ``rule set PERIOD --metric 名称=权重 … --rank …`` (issue 16)."""

from __future__ import annotations

from shangnan_desktop.cli.common import open_store
from shangnan_desktop.domain import Period


def cmd_rule_show(args) -> int:
    from shangnan_desktop.app import rules  # loaded when the command runs

    with open_store(args, readonly=True) as store:
        period = Period.parse(args.period)
        _rule, lines = rules.show_rule(store, period)
    print(f"{period.label}的评分规则：")
    for line in lines:
        print(line)
    return 0


def cmd_rule_set(args) -> int:
    from shangnan_desktop.app import rules  # loaded when the command runs

    with open_store(args) as store:
        period = Period.parse(args.period)
        rule = rules.build_rule(store, period, args.metric or [], decimals=_flat(args.decimal),
                                caps=_flat(args.cap), rank=args.rank, rate=args.rate)
        change = rules.set_rule_from(store, period, rule)
    names = "、".join(p.label for p in change.periods)
    print(f"已保存评分规则，自{period.label}起适用（已用于：{names}）。")
    return 0


def _flat(groups) -> list[str]:
    """``--decimal A B --decimal C`` → [A, B, C]."""
    return [item for group in groups or [] for item in group]


def register(subparsers) -> None:
    p = subparsers.add_parser("rule", help="评分规则：查看，或自某期起修改")
    sub = p.add_subparsers(dest="rule_command", metavar="操作", parser_class=type(p), required=True)
    q = sub.add_parser("show", help="显示某期的评分规则")
    q.add_argument("period", help="统计期，如 2021Q2、2023M01、2023H1、2023")
    q.set_defaults(func=cmd_rule_show)
    q = sub.add_parser("set", help="自某期起使用新的评分规则（已定稿的期保留原规则）")
    q.add_argument("period", help="统计期，如 2023M01（新规则自此期起适用）")
    q.add_argument("--metric", action="append", required=True, metavar="名称=权重",
                   help="指标及其权重（最多4位小数），按列的顺序逐个给出")
    q.add_argument("--decimal", action="append", nargs="+", metavar="名称",
                   help="数值为分值（最多2位小数）而非条数的指标")
    q.add_argument("--cap", action="append", nargs="+", metavar="名称<=名称",
                   help="一个指标不得超过另一个，如 采用信息<=报送信息")
    q.add_argument("--rank", choices=["dense", "competition", "none"], required=True,
                   help="排名方式：dense 中国式排名，competition 竞争排名（同Excel RANK），none 不排名")
    q.add_argument("--rate", metavar="采用/报送", help="加一列采用率，如 采用信息/报送信息")
    q.set_defaults(func=cmd_rule_set)
