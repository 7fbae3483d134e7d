"""`equity-qi` command line: generate synthetic extracts, show the warehouse's headline table, audit the published
schema for disclosure and publish it to PostgreSQL."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .generator.config import ConfigError
from .generator.engine import GenerateError
from .publish_postgres import PublishError


def _int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    return value


def _rate(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="equity-qi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate", help="write a synthetic Discovery-style extract with its planted truth")
    gen.add_argument("--out", type=Path, required=True, help="extract folder to create")
    gen.add_argument("--patients", type=_int, default=200_000,
                     help="registered population at the start of the period (default 200000; NEL is 2200000)")
    gen.add_argument("--practices", type=_int, default=40, help="number of GP practices (NEL has 285)")
    gen.add_argument("--seed", type=_int, default=20260401, help="random seed (same seed, same bytes)")
    gen.add_argument("--start", help="first day of the period, YYYY-MM-DD (default 2016-04-01)")
    gen.add_argument("--end", help="last day of the period, YYYY-MM-DD (default 2026-03-31)")
    gen.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv", help="file format")
    gen.add_argument("--dirty-rate", type=_rate, default=0.01, help="dirt rate multiplier, 0-0.2 (default 0.01)")
    gen.add_argument("--background-codes", type=_int, default=0, metavar="K",
                     help="add K background observation rows (codes no indicator reads) per clinical row, 0-20 "
                          "(default 0)")
    gen.add_argument("--config", type=Path, help="YAML file overriding the planted parameters")
    gen.add_argument("--overwrite", action="store_true", help="replace an existing, non-empty output folder")

    head = commands.add_parser("headline", help="print the warehouse's headline table")
    head.add_argument("--duckdb", type=Path, required=True, help="warehouse file built by dbt")

    audit = commands.add_parser("audit", help="check the published schema for disclosure (exit 1 on any finding)")
    audit.add_argument("--duckdb", type=Path, required=True, help="warehouse or serving file with schema published")

    pub = commands.add_parser("publish", help="load schema published into PostgreSQL in one transaction")
    pub.add_argument("--duckdb", type=Path, required=True, help="warehouse or serving file with schema published")
    pub.add_argument("--postgres", required=True, metavar="URL",
                     help="PostgreSQL connection URL, e.g. postgresql://user@localhost:5432/analytics")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "publish":
            return _publish(args)
        return _headline(args)
    except (ConfigError, GenerateError, FileNotFoundError, PublishError) as exc:
        print(f"equity-qi: error: {exc}", file=sys.stderr)
        return 2


def _generate(args: argparse.Namespace) -> int:
    from .generator.engine import Options, generate

    began = time.perf_counter()
    manifest = generate(Options(out=args.out, patients=args.patients, practices=args.practices, seed=args.seed,
                                start=args.start, end=args.end, fmt=args.fmt, dirty_rate=args.dirty_rate,
                                background_codes=args.background_codes,
                                config=args.config, overwrite=args.overwrite))
    rows = {name: table["rows"] for name, table in manifest["tables"].items()}
    print(f"wrote {args.out} in {time.perf_counter() - began:.1f} s: "
          + ", ".join(f"{name} {count:,}" for name, count in rows.items()))
    return 0


def _audit(args: argparse.Namespace) -> int:
    from .disclosure_audit import main as audit_main

    if not args.duckdb.is_file():
        raise FileNotFoundError(f"{args.duckdb}: no such warehouse file")
    return audit_main([str(args.duckdb)])


def _publish(args: argparse.Namespace) -> int:
    import psycopg2

    from .publish_postgres import main as publish_main

    try:
        return publish_main(args.duckdb, args.postgres)
    except psycopg2.Error as exc:
        print(f"equity-qi: error: PostgreSQL: {str(exc).strip()} (nothing was changed)", file=sys.stderr)
        return 2


def _headline(args: argparse.Namespace) -> int:
    from .headline import headline

    print(headline(args.duckdb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
