"""Per-host rules, kept in a data file so a new publisher quirk is a YAML edit, not a code change.

The file is validated strictly (unknown fields, wrong types) with msgspec, whose compiled validation costs
milliseconds to import: `ai4radiology linkcheck --urls` starts fast enough to matter (see
benchmarks/bench_linkcheck.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import msgspec
import yaml

DEFAULT_POLICY = "data/link_policy.yaml"


class PolicyError(Exception):
    """The policy file is missing or invalid."""


# Every struct of the file is immutable, rejects unknown fields (a typo is an error, not a silently ignored
# rule) and takes its fields by name. Each says so itself: type checkers do not see struct options inherited.
class HostPolicy(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    skip: bool = False
    browser: bool = False
    method: Literal["HEAD", "GET"] = "HEAD"
    follow_redirects: bool = True
    accept: frozenset[int] = frozenset()
    blocked: frozenset[int] = frozenset()
    reason: str = ""

    @property
    def fingerprint(self) -> str:
        """Changes when the rule changes, so cached verdicts made under an old rule are re-checked."""
        fields = {
            name: sorted(value) if isinstance(value, frozenset) else value
            for name, value in msgspec.structs.asdict(self).items()
            if name != "reason"
        }
        return hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


DEFAULT_RULE = HostPolicy()


class Challenge(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    header: str
    contains: str
    statuses: frozenset[int] = frozenset()  # only these codes; empty means any

    def matches(self, status: int, headers: Mapping[str, str]) -> bool:
        value = headers.get(self.header, "")
        return self.contains.lower() in value.lower() and (not self.statuses or status in self.statuses)


class LinkPolicy(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    user_agent: str
    browser_headers: dict[str, str]
    blocked_statuses: frozenset[int] = frozenset()
    challenges: list[Challenge] = msgspec.field(default_factory=list)
    hosts: dict[str, HostPolicy] = msgspec.field(default_factory=dict)

    def for_url(self, url: str) -> HostPolicy:
        """The entry of the longest domain suffix of the URL's host, or the default rule."""
        labels = (urlsplit(url).hostname or "").split(".")
        for start in range(len(labels)):
            rule = self.hosts.get(".".join(labels[start:]))
            if rule is not None:
                return rule
        return DEFAULT_RULE

    def headers_for(self, rule: HostPolicy) -> dict[str, str]:
        return dict(self.browser_headers) if rule.browser else {"User-Agent": self.user_agent}

    def is_blocked(self, rule: HostPolicy, status: int, headers: Mapping[str, str]) -> bool:
        if status in self.blocked_statuses or status in rule.blocked:
            return True
        return any(challenge.matches(status, headers) for challenge in self.challenges)


class Rules:
    """`LinkPolicy.for_url` and the rule's fingerprint, worked out once per host rather than once per URL."""

    def __init__(self, policy: LinkPolicy):
        self.policy = policy
        self.by_netloc: dict[str, HostPolicy] = {}
        self.fingerprints: dict[HostPolicy, str] = {}

    def __call__(self, url: str) -> HostPolicy:
        netloc = url.split("/", 3)[2]  # a checked URL is always scheme://netloc[/...]
        rule = self.by_netloc.get(netloc)
        if rule is None:
            rule = self.by_netloc[netloc] = self.policy.for_url(url)
        return rule

    def fingerprint(self, rule: HostPolicy) -> str:
        found = self.fingerprints.get(rule)
        if found is None:
            found = self.fingerprints[rule] = rule.fingerprint
        return found


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same safe loader, compiled when libyaml is there


def load_policy(path: Path | None = None) -> LinkPolicy:
    """The policy from `path`, or the one shipped with the package."""
    try:
        if path is None:
            text = resources.files("ai4radiology").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return msgspec.convert(yaml.load(text, Loader=_Loader), LinkPolicy)
    except OSError as exc:
        raise PolicyError(f"cannot read link policy {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"link policy {path} is not UTF-8 text: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} is not valid YAML: {exc}") from None
    except msgspec.ValidationError as exc:
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} is invalid: {exc}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. `2026-13-45`: not a date
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} has a value YAML cannot read: {exc}") from None
