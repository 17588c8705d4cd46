"""``fcfinance report``: the hearing pack from the command line."""

from __future__ import annotations

import argparse
import sys

from ..cliopts import add_strict_option, checked_warnings
from ..montecarlo.cli import add_sampling_options


def cmd_report(args: argparse.Namespace) -> int:
    from ..montecarlo.simulate import default_workers
    from ..portfolio import report as platform
    from ..portfolio.load import is_portfolio_file, load_portfolio
    from ..scenario import load
    from .pack import write_report

    if is_portfolio_file(args.file):  # a platform of projects: its own pack (fcfinance.portfolio.report)
        subject, write = load_portfolio(args.file), platform.write_portfolio_report
    else:
        subject, write = load(args.file), write_report
    checked_warnings(subject, args)  # on stderr; --strict: errors, nothing written
    files = write(subject, args.out, paths=args.paths, seed=args.seed, lang=args.lang or "zh",
                  progress=not args.no_progress, sampling=args.sampling,
                  workers=args.workers or default_workers(), threads=args.threads)
    for note in files.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{len(files.all())} files in {files.out_dir}")
    for path in files.all():
        print(f"  {path.name}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``report`` to the command line."""
    p = sub.add_parser("report", help="hearing pack: charts (PNG, SVG, PDF), Excel workbook, one-page summary")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--out", required=True, help="output folder (created if missing; an old pack there is "
                                             "replaced whole, once the new one is complete)")
    add_sampling_options(p)
    p.add_argument("--lang", choices=["zh", "en"], default=None,
                   help="language of charts, workbook and messages (default zh for the pack; messages: "
                        "$FCFINANCE_LANG, else en)")
    add_strict_option(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=cmd_report)
