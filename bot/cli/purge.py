"""Delete old data: ``python -m bot purge [--days N] [--dry-run]``.

Removes closed cases (closed more than N days ago) with their conversation, chat messages
and audit log, conversations without a case that were idle for N days, and expired console
sessions from our database; then the same conversations from Rasa's SQL tracker store
(TRACKER_STORE_URL, table ``events``), plus trackers idle for N days that belong to no
conversation in our database (see bot/rasa/tracker_store.py). N defaults to
settings.retention_days (RETENTION_DAYS, 90).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from bot.cases.service import CaseService
from bot.rasa.tracker_store import purge_trackers
from bot.settings import get_settings
from bot.storage.db import utcnow


def main(argv: list | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(
        prog="python -m bot purge", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--days",
        type=int,
        default=settings.retention_days,
        help=f"retention in days (default {settings.retention_days})",
    )
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    now = utcnow()
    service = CaseService.from_settings(settings)
    counts = service.purge(args.days, now=now, dry_run=args.dry_run, with_ids=True)
    verb = "Zou verwijderen" if args.dry_run else "Verwijderd"
    print(
        f"{verb}: {counts['cases']} casussen, {counts['conversations']} gesprekken, "
        f"{counts['messages']} chatberichten, {counts['sessions']} verlopen sessies "
        f"(ouder dan {args.days} dagen)."
    )
    try:
        trackers = purge_trackers(
            settings.tracker_store_url,
            counts["conversation_ids"],
            now - timedelta(days=args.days),
            service.existing_conversations,
            dry_run=args.dry_run,
        )
    except Exception as exc:
        print(
            f"Rasa's tracker store kon niet worden opgeschoond ({exc.__class__.__name__}: {str(exc)[:200]}). "
            "Probeer het later opnieuw; gesprekken die bij ons al weg zijn, worden dan alsnog verwijderd.",
            file=sys.stderr,
        )
        return 1
    print(f"{verb} uit Rasa's tracker store: {trackers} gesprekken.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
