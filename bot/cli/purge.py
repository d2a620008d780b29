"""Delete old data: ``python -m bot purge [--days N] [--dry-run]``.

Removes closed cases (closed more than N days ago) with their conversation, chat messages
and audit log, conversations without a case that were idle for N days, and expired console
sessions. N defaults to settings.retention_days (RETENTION_DAYS, 90). Rasa's own tracker
store is not touched (configure its retention separately).
"""
from __future__ import annotations

import argparse
import sys

from bot.cases.service import CaseService
from bot.settings import get_settings


def main(argv: list | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot purge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=settings.retention_days,
                        help=f"retention in days (default {settings.retention_days})")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    counts = CaseService.from_settings(settings).purge(args.days, dry_run=args.dry_run)
    verb = "Zou verwijderen" if args.dry_run else "Verwijderd"
    print(f"{verb}: {counts['cases']} casussen, {counts['conversations']} gesprekken, "
          f"{counts['messages']} chatberichten, {counts['sessions']} verlopen sessies "
          f"(ouder dan {args.days} dagen).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
