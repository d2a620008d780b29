"""Counsellor accounts: ``python -m bot users COMMAND``.

add NAME       create an account; the password is asked twice (or read from stdin when
               stdin is not a terminal: the first line)
passwd NAME    set a new password (ends the account's console sessions)
token NAME     issue a new API token for /api/ (printed once on stdout; replaces the old one)
totp NAME      turn on a second factor (TOTP): prints the secret and an otpauth:// link
               for an authenticator app; from then on the login asks for its code
totp-off NAME  turn the second factor off
list           list accounts
remove NAME    delete an account (its audit-log entries keep the name)
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.auth import AccountError, Accounts


def _read_password(confirm: bool = True) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("Wachtwoord: ")
        if confirm and getpass.getpass("Nog een keer: ") != first:
            raise AccountError("De wachtwoorden zijn niet gelijk.")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot users", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("add", "passwd", "token", "remove", "totp", "totp-off"):
        sub.add_parser(name).add_argument("name")
    sub.add_parser("list")
    args = parser.parse_args(argv)
    accounts = Accounts.from_settings()
    try:
        if args.command == "add":
            accounts.add(args.name, _read_password())
            print(f"Account '{args.name}' aangemaakt.", file=sys.stderr)
        elif args.command == "passwd":
            accounts.set_password(args.name, _read_password())
            print(f"Wachtwoord van '{args.name}' gewijzigd.", file=sys.stderr)
        elif args.command == "token":
            token = accounts.issue_token(args.name)
            print(
                f"Nieuw API-token voor '{args.name}' (wordt niet opnieuw getoond; een eerder token werkt niet meer):",
                file=sys.stderr,
            )
            print(token)
        elif args.command == "totp":
            secret, uri = accounts.enable_totp(args.name)
            print(
                f"Tweede factor voor '{args.name}' staat aan. Zet dit in je authenticator-app "
                "(of maak er een QR-code van); het wordt niet opnieuw getoond:",
                file=sys.stderr,
            )
            print(secret)
            print(uri)
        elif args.command == "totp-off":
            accounts.disable_totp(args.name)
            print(f"Tweede factor voor '{args.name}' staat uit.", file=sys.stderr)
        elif args.command == "remove":
            accounts.remove(args.name)
            print(f"Account '{args.name}' verwijderd.", file=sys.stderr)
        elif args.command == "list":
            for row in accounts.list():
                flags = ("actief" if row["active"] else "uit") + (", API-token" if row["has_token"] else "")
                print(f"{row['name']}\t{flags}\t{row['created_at']:%Y-%m-%d}")
    except AccountError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
