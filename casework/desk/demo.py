"""Demo accounts for the demo store: one of each kind of staff, to sign in to the desk."""

from __future__ import annotations

from casework.app import Casework
from casework.desk.accounts import Accounts

#: Everyone's password in the demo store (never use a demo store for real work).
DEMO_PASSWORD = "casework-demo"

#: account → (role, bodies, name). The mediators and officers are the demo's own actors.
DEMO_ACCOUNTS: dict[str, tuple[str, list[str], str]] = {
    "m-chen": ("mediator", ["subdistrict"], "陈调解员"),
    "m-li": ("mediator", ["subdistrict"], "李调解员"),
    "a-subd": ("aid_officer", ["subdistrict"], "街道帮扶干事"),
    "a-coun": ("aid_officer", ["county"], "县总工会帮扶干事"),
    "a-depa": ("aid_officer", ["department"], "部门工会帮扶干事"),
    "s-zhang": ("supervisor", ["subdistrict", "county", "department"], "张主席"),
    "audit": ("auditor", ["*"], "经审委员"),
}


def add_demo_accounts(cw: Casework) -> dict[str, tuple[str, list[str], str]]:
    accounts = Accounts(cw)
    for ident, (role, orgs, name) in DEMO_ACCOUNTS.items():
        accounts.add(ident, role=role, orgs=orgs, password=DEMO_PASSWORD, name=name,
                     actor="demo")
    return DEMO_ACCOUNTS
