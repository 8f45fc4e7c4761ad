"""`dealroom serve | migrate | demo | seed-demo | user add`."""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from sqlalchemy import func, select

from workspace.auth import passwords
from workspace.auth.models import INTERNAL_ROLES, User
from workspace.errors import DealroomError
from workspace.settings import Settings, load_settings, with_secret_key
from workspace.storage.engine import make_engine, make_sessionmaker
from workspace.storage.migrate import is_current, upgrade


def _migrate(settings: Settings) -> None:
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()


def _seed(settings: Settings) -> list[str]:
    from workspace.demo import seed_demo

    engine = make_engine(settings)
    with make_sessionmaker(engine).begin() as db:
        created = seed_demo(db)
    engine.dispose()
    return created


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    engine = make_engine(settings)
    current = is_current(engine)
    engine.dispose()
    if not current:
        raise SystemExit("the database schema is not current: run `dealroom migrate` first")
    from workspace.app import create_app
    from workspace.server import uvicorn_config

    if workers <= 1:
        uvicorn.Server(uvicorn_config(create_app(settings), settings, host, port)).run()
        return
    if not settings.redis_url:
        raise SystemExit("several workers need DEALROOM_REDIS_URL: Redis decides which worker holds each room")
    if settings.database_url.startswith("sqlite"):
        raise SystemExit("several workers need PostgreSQL: set DEALROOM_DATABASE_URL=postgresql://...")
    from uvicorn.supervisors import Multiprocess

    # Each worker reads its settings afresh (the app factory): they must all sign cookies with one key.
    os.environ["DEALROOM_SECRET_KEY"] = settings.secret_key
    config = uvicorn_config("workspace.app:create_app", settings, host, port, factory=True, workers=workers)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def _user_add(settings: Settings, args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(12)
    email = args.email.strip().lower()
    engine = make_engine(settings)
    with make_sessionmaker(engine).begin() as db:
        if db.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none():
            raise SystemExit(f"a user with the email {email} already exists")
        db.add(
            User(
                email=email,
                name=args.name,
                role=args.role,
                password_hash=passwords.hash_password(password),
            )
        )
    engine.dispose()
    print(f"created {args.role} {email}")
    if not args.password_stdin:
        print(f"password: {password}")


def _audit_verify(settings: Settings) -> None:
    from workspace.audit.chain import verify

    engine = make_engine(settings)
    with make_sessionmaker(engine)() as db:
        verdict = verify(db)
    engine.dispose()
    if not verdict.intact:
        raise SystemExit(f"audit log BROKEN at event {verdict.broken_at} (of {verdict.events} read)")
    print(f"audit log intact: {verdict.events} events")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealroom", description="Dealroom: live deal rooms.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "demo"):
        cmd = sub.add_parser(name, help="run the app" if name == "serve" else "migrate, seed the demo data, run")
        cmd.add_argument("--host", default="127.0.0.1")
        cmd.add_argument("--port", type=int, default=8000)
        if name == "serve":
            cmd.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="bring the database to the latest schema")
    sub.add_parser("seed-demo", help="seed the demo data (idempotent)")
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="check the hash chain of the audit log; exit 1 if it is broken")
    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="create an internal user")
    add.add_argument("email")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=INTERNAL_ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = with_secret_key(load_settings())
        if args.command == "migrate":
            _migrate(settings)
            print("database is at the latest schema")
        elif args.command == "seed-demo":
            created = _seed(settings)
            print("seeded: " + (", ".join(created) if created else "nothing new"))
        elif args.command == "demo":
            _migrate(settings)
            _seed(settings)
            print(f"Dealroom demo on http://{args.host}:{args.port}/")
            print("Sign in as rep@demo.test, manager@demo.test, vp@demo.test, finance@demo.test, legal@demo.test,")
            print("admin@demo.test or the customer buyer@acme.test, all with the password 'demo-password'.")
            _serve(settings, args.host, args.port, 1)
        elif args.command == "serve":
            _serve(settings, args.host, args.port, args.workers)
        elif args.command == "user":
            _user_add(settings, args)
        elif args.command == "audit":
            _audit_verify(settings)
    except DealroomError as error:
        raise SystemExit(f"dealroom: {error.detail}") from error


if __name__ == "__main__":
    main()
