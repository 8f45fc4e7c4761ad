"""Approval policy, routing, requests and inbox (plain data in, plain data out).

The pure core (no I/O, no clock: times are passed in): `facts` and `derive` (deal facts), `grammar`,
`compact` and `conditions` (the condition language), `policy` and `policy_text` (the validated policy document),
`evaluate` (which steps a deal needs, and why), `coverage` and `standing` (smart re-approval), `request`, `lifecycle`,
`delegation` and `inbox` (requests and their decisions), `serialize` (JSON-ready data)."""

from approvals.coverage import covers
from approvals.delegation import Delegation, effective_approvers, reassign
from approvals.derive import derive_facts
from approvals.errors import (
    AlreadyDecided,
    ApprovalError,
    FactsInvalid,
    NoApprovers,
    NotAnApprover,
    OutOfOrder,
    PolicyInvalid,
    RequestClosed,
    StaleFingerprint,
    UnknownStep,
)
from approvals.evaluate import RequiredStep, by_order, required_steps
from approvals.facts import CATALOGUE, Covers, DealFacts, FactSpec, Kind, facts_from_dict, facts_to_plain
from approvals.inbox import InboxItem, inbox
from approvals.lifecycle import Missing, decide, missing_approvals, recall, submit, supersede, waiting_since
from approvals.policy import Approvers, Mode, Policy, Rule, load_policy
from approvals.policy_text import load_policy_json, load_policy_yaml
from approvals.request import Decision, DecisionRecord, Request, RequestState, RequestStep, StepState
from approvals.serialize import request_from_plain, request_to_plain, required_step_to_plain
from approvals.standing import carried_approvals, covered_steps, covering

__all__ = [
    "CATALOGUE",
    "AlreadyDecided",
    "ApprovalError",
    "Approvers",
    "Covers",
    "DealFacts",
    "Decision",
    "DecisionRecord",
    "Delegation",
    "FactSpec",
    "FactsInvalid",
    "InboxItem",
    "Kind",
    "Missing",
    "Mode",
    "NoApprovers",
    "NotAnApprover",
    "OutOfOrder",
    "Policy",
    "PolicyInvalid",
    "Request",
    "RequestClosed",
    "RequestState",
    "RequestStep",
    "RequiredStep",
    "Rule",
    "StaleFingerprint",
    "StepState",
    "UnknownStep",
    "by_order",
    "carried_approvals",
    "covered_steps",
    "covering",
    "covers",
    "decide",
    "derive_facts",
    "effective_approvers",
    "facts_from_dict",
    "facts_to_plain",
    "inbox",
    "load_policy",
    "load_policy_json",
    "load_policy_yaml",
    "missing_approvals",
    "reassign",
    "recall",
    "request_from_plain",
    "request_to_plain",
    "required_step_to_plain",
    "required_steps",
    "submit",
    "supersede",
    "waiting_since",
]
