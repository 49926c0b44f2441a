"""The ``hub`` command: load the sample, generate synthetic data, read the log, show records.

Other packages add subcommands (``serve``, ``graph``…) through the
``hub.commands`` entry-point group, so this package never imports them.
Every failure is one readable line on stderr and a non-zero exit; with
``HUB_DEBUG=1`` the traceback is printed above it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from hub import moments
from hub.authorisation import Principal
from hub.errors import HubError
from hub.vocabulary import ACCOUNT_ROLES

CLI_ACTOR = "cli"


_OPENED: list[tuple[Any, int]] = []  # the applications this command opened, with the log's length then


def open_app() -> Any:
    """The hub's application; kept open until the command ends, then the log it grew gets signed."""
    from hub.application import HubApplication

    app = HubApplication()
    _OPENED.append((app, app.log_length()))
    return app


def _sign_and_close() -> None:
    """A command that wrote events signs a checkpoint over them before it exits (no unsigned tail)."""
    while _OPENED:
        app, length = _OPENED.pop()
        try:
            if app.log_length() > length and app.ledger.can_sign:
                app.ledger.sign_head()
        finally:
            app.close()


def cmd_load_sample(args: argparse.Namespace) -> int:
    from hub.sample import load_sample

    app = open_app()
    before = app.log_length()
    ids = load_sample(app, by=args.actor)
    added = app.log_length() - before
    print(f"sample partnership {ids['podkarpackie-lll-2020']}: "
          + (f"loaded ({added} events)" if added else "already loaded, nothing added"))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    app = open_app()
    after, remaining = args.after, args.limit
    while remaining > 0:
        page = app.read_log(after=after, limit=min(remaining, 500))
        if not page:
            break
        for e in page:
            print(f"{e.position:>7}  {e.recorded_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}  {e.actor}  "
                  f"{e.aggregate_type} {e.aggregate_id}  {e.event_type}  {e.summary()}")
        after, remaining = page[-1].position, remaining - len(page)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    app = open_app()
    for e in app.history(args.aggregate_id):
        print(f"v{e.version:<4} {e.recorded_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}  {e.actor}  "
              f"{e.aggregate_type}.{e.event_type}  {e.summary()}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """A record now, at a version, as known at a record time (``--as-of``), and/or as it held on a day."""
    from hub.log import in_business_time, plain, record_state

    app = open_app()
    version = args.version if args.as_of is None else app.version_as_of(args.aggregate_id, args.as_of)
    record = app.get(args.aggregate_id, version=version)
    state = record_state(record)
    if args.valid_at is not None:
        business = in_business_time(record, args.valid_at)
        if "members" in business:
            business["members"] = list(business["members"].values())
        state.update(plain(business))
    print(json.dumps(state, ensure_ascii=False, indent=2))
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from hub.synthetic import generate

    app = open_app()

    def progress(phase: str, done: int, total: int) -> None:
        print(f"  {phase}: {done}/{total}", file=sys.stderr, flush=True)

    try:
        result = generate(app, args.partnerships, args.organisations, args.meetings, args.exchanges,
                          seed=args.seed, progress=progress)
    except ValueError as error:
        raise HubError(str(error)) from None
    if result.get("already_generated"):
        print(f"a synthetic network with seed {args.seed} is already in the store; nothing added")
    else:
        print(f"synthetic network (seed {args.seed}): {result['events']} events written"
              + (f", {result['skipped']} commands refused by the rules and skipped" if result["skipped"] else ""))
    return 0


def _organisation(app: Any, text: str | None) -> str | None:
    """An organisation given by id or by its whole name (case and diacritics ignored)."""
    if text is None:
        return None
    try:
        return str(UUID(text))
    except ValueError:
        pass
    found = app.organisations_called(text)
    if not found:
        raise HubError(f"no organisation is called {text!r}; give its whole name or its id", "organisation")
    if len(found) > 1:
        raise HubError(f"{len(found)} organisations are called {text!r}: give the id of the one meant "
                       f"({', '.join(str(i) for i in found)})", "organisation")
    return str(found[0])


def cmd_accounts_create(args: argparse.Namespace) -> int:
    app = open_app()
    account_id, issued = app.open_account(by=args.actor, name=args.name, role=args.role,
                                          organisation_id=_organisation(app, args.organisation))
    print(f"account {account_id} ({args.role}) created")
    print(f"token (shown once, keep it secret): {issued.token}")
    return 0


def cmd_accounts_token(args: argparse.Namespace) -> int:
    issued = open_app().issue_token(args.account_id, by=args.actor, label=args.label)
    print(f"token {issued.token_id} (shown once, keep it secret): {issued.token}")
    return 0


def cmd_accounts_link(args: argparse.Namespace) -> int:
    issued = open_app().issue_sign_in_link(args.account_id, by=args.actor)
    # The token rides in the fragment: browsers never send it, so no server or proxy log holds it.
    print(f"{args.base_url.rstrip('/')}/signin#token={issued.token}")
    print("(works once; open it in the browser of the person it is for)", file=sys.stderr)
    return 0


def cmd_accounts_revoke(args: argparse.Namespace) -> int:
    from hub.account import Account
    from hub.errors import NotFound

    app = open_app()
    account = app.get(args.account_id)
    if not isinstance(account, Account):
        raise NotFound(f"no account has id {account.id}", "id")
    token_ids = [args.token] if args.token else list(account.tokens)
    if not token_ids:
        raise HubError("the account has no live token", "token")
    for token_id in token_ids:
        app.revoke_token(account.id, by=args.actor, token_id=token_id)
    print(f"revoked {len(token_ids)} token(s) of account {account.id}")
    return 0


def cmd_accounts_list(args: argparse.Namespace) -> int:
    for account in open_app().accounts():
        state = "disabled" if account.disabled else f"{len(account.tokens)} live token(s)"
        bound = f" organisation {account.organisation_id}" if account.organisation_id else ""
        print(f"{account.id}  {account.name}  {','.join(account.roles) or '-'}{bound}  {state}")
    return 0


def _public_key(path: str | None, app: Any) -> Any:
    from hub.signing import read_public_key

    return None if path is None else read_public_key(path, app.ledger.origin)


def _checkpoint_in(path: str) -> str:
    """The signed checkpoint in a saved file: a receipt, an API answer, or the checkpoint note itself."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise HubError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise HubError(f"{path} is not UTF-8 text") from None
    if not text.lstrip().startswith("{"):
        return text
    try:
        data = json.loads(text)
    except ValueError as error:
        raise HubError(f"{path} is not JSON: {error}") from None
    for candidate in (data, data.get("receipt") if isinstance(data, dict) else None):
        if isinstance(candidate, dict):
            head = candidate.get("tree_head", candidate)
            if isinstance(head, dict) and isinstance(head.get("checkpoint"), str):
                return str(head["checkpoint"])
    raise HubError(f"{path} holds no signed checkpoint (save a receipt, /api/audit/head, or a checkpoint)")


def cmd_audit_verify(args: argparse.Namespace) -> int:
    app = open_app()
    key = _public_key(args.key, app)
    if key is not None:
        app.ledger.check_with(key)
    against = [_checkpoint_in(path) for path in args.against or []]
    _ = app.ledger.log_key  # no key to check with: say so before anything else
    print(f"verifying {app.log_length()} events…", file=sys.stderr, flush=True)
    report = app.verify_log(against=against, ask_witnesses=not args.offline)
    for note in report.notes:
        print(f"  {note}", file=sys.stderr)
    if report.ok:
        print(f"the log verifies: {report.events} events, {report.heads} signed checkpoint(s), root {report.root}")
        return 0
    print(f"the log does NOT verify: {report.first}")
    for problem in report.problems[1:20]:
        print(f"  also {problem}")
    return 3


def cmd_audit_head(args: argparse.Namespace) -> int:
    head = open_app().ledger.sign_head()
    print(head.note(), end="") if args.note else print(json.dumps(head.as_head(), indent=2))
    return 0


def cmd_audit_key(args: argparse.Namespace) -> int:
    key = open_app().ledger.published_key()
    print(key.vkey() if args.vkey else key.pem(), end="\n" if args.vkey else "")
    return 0


def cmd_audit_receipt(args: argparse.Namespace) -> int:
    app = open_app()
    try:
        app.ledger.index_of(args.position)  # a position with no event signs nothing
        receipt = app.ledger.receipt(args.position)
    except LookupError as error:
        raise HubError(str(error), "position") from None
    print(json.dumps(receipt, indent=2))
    return 0


def cmd_audit_verify_receipt(args: argparse.Namespace) -> int:
    from hub.ledger import DEFAULT_ORIGIN
    from hub.signing import read_public_key
    from hub.verifier.receipts import ReceiptError, verify_receipt

    try:
        receipt = json.loads(Path(args.receipt).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise HubError(f"cannot read {error.filename}: {error.strerror}") from None
    except (ValueError, RecursionError) as error:
        raise HubError(f"{args.receipt} is not JSON: {error}") from None
    if not isinstance(receipt, dict):
        raise HubError(f"{args.receipt} is not a receipt")
    receipt = receipt.get("receipt", receipt)  # a whole API response works too
    origin = receipt.get("log") if isinstance(receipt.get("log"), str) else DEFAULT_ORIGIN
    key = read_public_key(args.key, origin if origin != "partnership-hub" else DEFAULT_ORIGIN)
    try:
        head = verify_receipt(receipt, key)
    except ReceiptError as error:
        print(f"the receipt does NOT verify: {error}")
        return 3
    print(f"the receipt verifies: event at position {receipt['position']} is leaf {receipt['index']} "
          f"of the log of {head.size} events signed at {head.time}")
    return 0


def _witness_key(args: argparse.Namespace) -> Any:
    from hub.signing import Signer, SigningKeyError

    try:
        return Signer.load(args.key)
    except SigningKeyError:
        if Path(args.key).exists():
            raise
        print(f"made a new witness key in {args.key} (keep it; it is this witness's identity)", file=sys.stderr)
        return Signer.create(args.key)


def cmd_witness_key(args: argparse.Namespace) -> int:
    from hub.verifier.note import COSIGNATURE, NoteKey

    signer = _witness_key(args)
    print(NoteKey(args.name, signer.note_key(args.name).raw, COSIGNATURE).vkey())
    return 0


def cmd_witness_serve(args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from hub.signing import read_public_key
    from hub.witness import Witness, create_witness_app

    logs = {}
    for item in args.log:
        origin, sep, path = item.partition("=")
        if not sep or not origin or not path:
            raise HubError(f"--log {item!r}: write ORIGIN=PUBLIC_KEY.pem", "log")
        logs[origin] = read_public_key(path, origin)
    signer = _witness_key(args)
    witness = Witness(args.name, signer.key, args.store, logs)
    print(f"witness {witness.key.vkey()} on http://{args.host}:{args.port} for {', '.join(logs)}", file=sys.stderr)
    run_simple(args.host, args.port, create_witness_app(witness), threaded=True)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from hub.archive import export_log

    app = open_app()

    def progress(done: int, total: int) -> None:
        print(f"  exported {done}/{total} events", file=sys.stderr, flush=True)

    try:
        with open(args.output, "w", encoding="utf-8") as out:
            trailer = export_log(app, out, progress)
    except OSError as error:
        raise HubError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"{args.output}: {trailer['events']} events, root {trailer['root']}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from hub.archive import import_log

    app = open_app()
    key = _public_key(args.key, app)
    if key is not None:
        app.ledger.check_with(key)  # a machine with the public key only can restore and check
    try:
        with open(args.file, encoding="utf-8") as source:
            trailer = import_log(app, iter(source), key=key, unsigned=args.unsigned)
    except OSError as error:
        raise HubError(f"cannot read {args.file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise HubError(f"{args.file} is not UTF-8 text: nothing was imported") from None
    report = app.verify_log(ask_witnesses=False)
    same = "the same root" if report.root == trailer["root"] else "A DIFFERENT ROOT"
    print(f"imported {trailer['events']} events and {trailer['checkpoints']} signed checkpoint(s); "
          f"the log's root {report.root} is {same} as the export's")
    return 0 if report.root == trailer["root"] else 3


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    app = open_app()
    person_id = app.erase_person(args.person)
    if person_id is None:
        raise HubError(f"no personal data is recorded for {args.person!r}", "person")
    print(f"erased person {person_id}: their name is now unreadable in every event and backup; "
          "the log itself is unchanged and still verifies")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub",
        description="Partnership Hub: an event-sourced networking hub for regional partnerships. "
        "The store is chosen by HUB_DATABASE_URL (default sqlite:///var/hub.sqlite3).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("load-sample", help="load the Podkarpackie partnership (idempotent)")
    p.add_argument("--actor", type=argument_type(Principal.operator), default="sample-loader",
                   help="who is recorded as acting")
    p.set_defaults(handler=cmd_load_sample)

    p = sub.add_parser("log", help="the global log, one line per event, oldest first")
    p.add_argument("--after", type=_non_negative, default=0, help="start after this position")
    p.add_argument("--limit", type=_positive, default=100, help="at most this many events")
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("history", help="every event of one record, with actor and record time")
    p.add_argument("aggregate_id", metavar="RECORD_ID", help="the record's id (a UUID)")
    p.set_defaults(handler=cmd_history)

    p = sub.add_parser("show", help="a record's state now, at a version, as known --as-of, as it held --valid-at")
    p.add_argument("aggregate_id", metavar="RECORD_ID", help="the record's id (a UUID)")
    p.add_argument("--version", type=_positive, default=None, help="the record as it was at this version (1 = created)")
    p.add_argument("--as-of", type=argument_type(moments.parse_as_of), default=None,
                   help="record time: a log position or an ISO time (what the hub knew then)")
    p.add_argument("--valid-at", type=argument_type(moments.parse_valid_at), default=None,
                   help="business date: the record as it held in the world that day")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("generate", help="write a deterministic synthetic network (labelled synthetic)")
    p.add_argument("--partnerships", metavar="N", type=_positive, default=100,
                   help="how many partnerships to sign (default 100), in every voivodeship")
    p.add_argument("--organisations", metavar="N", type=_positive, default=300,
                   help="how many organisations to register (default 300); partnerships draw their members from them")
    p.add_argument("--meetings", metavar="N", type=_non_negative, default=300,
                   help="how many meetings to record (default 300)")
    p.add_argument("--exchanges", metavar="N", type=_non_negative, default=600,
                   help="how many experience exchanges to post (default 600), some confirmed, some retracted")
    p.add_argument("--seed", metavar="N", type=int, default=1,
                   help="the random seed (default 1): the same seed gives the same network; running it again adds "
                        "nothing")
    p.set_defaults(handler=cmd_generate)

    accounts = sub.add_parser("accounts", help="manage accounts and their API tokens")
    acc = accounts.add_subparsers(dest="accounts_command", metavar="SUBCOMMAND", required=True)
    p = acc.add_parser("create", help="create an account and print its first token (once)")
    p.add_argument("--name", required=True, help="the person's name as others will read it")
    p.add_argument("--role", required=True, choices=list(ACCOUNT_ROLES),
                   help="manager: records everything; auditor: reads everything and the audit; partner: posts and "
                        "confirms exchanges for one organisation")
    p.add_argument("--organisation", default=None, help="the organisation a partner account acts for")
    p.set_defaults(handler=cmd_accounts_create)
    p = acc.add_parser("token", help="issue another token for an account (printed once)")
    p.add_argument("account_id", help="the account's id (see hub accounts list)")
    p.add_argument("--label", default="", help="what the token is for, e.g. the script that uses it")
    p.set_defaults(handler=cmd_accounts_token)
    p = acc.add_parser("link", help="print a one-time sign-in link for a person (the web UI)")
    p.add_argument("account_id", help="the account's id (see hub accounts list)")
    p.add_argument("--base-url", default="http://127.0.0.1:5000",
                   help="the address people open the hub at (default http://127.0.0.1:5000)")
    p.set_defaults(handler=cmd_accounts_link)
    p = acc.add_parser("revoke", help="revoke one token (--token) or all tokens of an account")
    p.add_argument("account_id", help="the account's id (see hub accounts list)")
    p.add_argument("--token", default=None, help="the token id (the third part of the token)")
    p.set_defaults(handler=cmd_accounts_revoke)
    p = acc.add_parser("list", help="every account with its roles")
    p.set_defaults(handler=cmd_accounts_list)
    accounts.add_argument("--actor", type=argument_type(Principal.operator), default=CLI_ACTOR,
                          help="who is recorded as acting (default: cli)")

    p = sub.add_parser("export", help="write the whole log as NDJSON (positions, times, actors, hashes)")
    p.add_argument("-o", "--output", required=True, help="the file to write (NDJSON)")
    p.set_defaults(handler=cmd_export)
    p = sub.add_parser("import", help="load an export into an empty store (all or nothing)")
    p.add_argument("file", help="an export written by hub export")
    p.add_argument("--key", metavar="PEM", help="the hub's public key to check the export with (default: this "
                                                "hub's own key)")
    p.add_argument("--unsigned", action="store_true",
                   help="import an export of the first format whose key is lost (its signature is not checked)")
    p.set_defaults(handler=cmd_import)

    privacy = sub.add_parser("privacy", help="personal data: erase a person's name everywhere")
    prv = privacy.add_subparsers(dest="privacy_command", metavar="SUBCOMMAND", required=True)
    p = prv.add_parser("erase", help="delete a person's key: their name becomes unreadable (the log still verifies)")
    p.add_argument("person", help="the person's name as recorded, or their person id")
    p.set_defaults(handler=cmd_privacy_erase)

    audit = sub.add_parser("audit", help="the tamper-evident log: verify, tree heads, receipts")
    aud = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    p = aud.add_parser("verify", help="recompute the Merkle log and check every signed checkpoint (exit 3 if "
                                      "altered)")
    p.add_argument("--key", metavar="PEM", help="check with this public key alone (no private key needed), "
                                                "from `hub audit key` or /api/audit/key")
    p.add_argument("--against", metavar="FILE", action="append",
                   help="a checkpoint kept elsewhere (a saved receipt, /api/audit/head, a witness's): the log must "
                        "extend it; may be given several times")
    p.add_argument("--offline", action="store_true",
                   help="do not ask the configured witnesses for the newest checkpoint they cosigned")
    p.set_defaults(handler=cmd_audit_verify)
    p = aud.add_parser("head", help="sign a checkpoint for the log as it is now (or show the newest) and print it")
    p.add_argument("--note", action="store_true", help="print the signed note (C2SP checkpoint) instead of JSON")
    p.set_defaults(handler=cmd_audit_head)
    p = aud.add_parser("key", help="print the public key that checks checkpoints and receipts")
    p.add_argument("--vkey", action="store_true", help="print it as a signed-note verifier key (name+id+key)")
    p.set_defaults(handler=cmd_audit_key)
    p = aud.add_parser("receipt", help="print a receipt (signed head + inclusion proof) for a log position")
    p.add_argument("position", type=_positive, help="the event's position in the log (as hub log shows it)")
    p.set_defaults(handler=cmd_audit_receipt)
    p = aud.add_parser("verify-receipt", help="check a receipt offline, with the public key only")
    p.add_argument("receipt", help="a receipt JSON file (or a saved API response that contains one)")
    p.add_argument("--key", required=True, help="the hub's public key (PEM), from `hub audit key` or /api/audit/key")
    p.set_defaults(handler=cmd_audit_verify_receipt)

    witness = sub.add_parser("witness", help="run a witness that cosigns another hub's checkpoints (C2SP tlog-witness)")
    wit = witness.add_subparsers(dest="witness_command", metavar="SUBCOMMAND", required=True)
    p = wit.add_parser("key", help="print this witness's verifier key (made on first use), for the hub's "
                                   "HUB_WITNESSES file")
    p.add_argument("--name", required=True, help="the witness's name, a schema-less URL such as example.org/w1")
    p.add_argument("--key", required=True, help="the witness's private key file (PEM, made if missing)")
    p.set_defaults(handler=cmd_witness_key)
    p = wit.add_parser("serve", help="serve POST /add-checkpoint and GET /checkpoint/ORIGIN")
    p.add_argument("--name", required=True, help="the witness's name, a schema-less URL such as example.org/w1")
    p.add_argument("--key", required=True, help="the witness's private key file (PEM, made if missing)")
    p.add_argument("--store", required=True, help="a SQLite file where the witness keeps what it cosigned")
    p.add_argument("--log", required=True, action="append", metavar="ORIGIN=PEM",
                   help="a log to witness: its origin and its public key file (may be given several times)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_positive, default=8801, help="the port to listen on (default 8801)")
    p.set_defaults(handler=cmd_witness_serve)

    for entry in entry_points(group="hub.commands"):
        register: Callable[[Any], None] = entry.load()
        register(sub)
    return parser


T = TypeVar("T")


def argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a parser that raises ValueError (the message becomes the usage error)."""
    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return convert



def _positive(text: str) -> int:
    value = _non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        try:
            return int(args.handler(args) or 0)
        finally:
            _sign_and_close()
    except HubError as error:
        if _debugging():
            traceback.print_exc()
        print(f"hub: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hub: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a database that is down, a disk that is full…
        if _debugging():
            traceback.print_exc()
        first_line = str(error).splitlines()[0] if str(error) else ""
        hint = "" if _debugging() else " (HUB_DEBUG=1 shows where)"
        print(f"hub: {type(error).__name__}: {first_line}{hint}", file=sys.stderr)
        return 1


def _debugging() -> bool:
    return os.environ.get("HUB_DEBUG", "").lower() in ("1", "true", "yes", "on")


if __name__ == "__main__":
    sys.exit(main())
