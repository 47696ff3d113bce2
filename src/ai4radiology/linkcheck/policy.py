"""Per-host rules, kept in a data file so a new publisher quirk is a YAML edit, not a code change."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Literal, Mapping
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_POLICY = "data/link_policy.yaml"


class PolicyError(Exception):
    """The policy file is missing or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HostPolicy(_Strict):
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
        return hashlib.sha1(self.model_dump_json(exclude={"reason"}).encode()).hexdigest()[:12]


DEFAULT_RULE = HostPolicy()


class Challenge(_Strict):
    header: str
    contains: str
    statuses: frozenset[int] = Field(default=frozenset(), description="Only these codes; empty means any.")

    def matches(self, status: int, headers: Mapping[str, str]) -> bool:
        value = headers.get(self.header, "")
        return self.contains.lower() in value.lower() and (not self.statuses or status in self.statuses)


class LinkPolicy(_Strict):
    user_agent: str
    browser_headers: dict[str, str]
    blocked_statuses: frozenset[int] = frozenset()
    challenges: list[Challenge] = Field(default_factory=list)
    hosts: dict[str, HostPolicy] = Field(default_factory=dict)

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


def load_policy(path: Path | None = None) -> LinkPolicy:
    """The policy from `path`, or the one shipped with the package."""
    try:
        if path is None:
            text = resources.files("ai4radiology").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return LinkPolicy.model_validate(yaml.safe_load(text))
    except OSError as exc:
        raise PolicyError(f"cannot read link policy {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"link policy {path} is not UTF-8 text: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} is invalid: {problems}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. `2026-13-45`: not a date
        raise PolicyError(f"link policy {path or DEFAULT_POLICY} has a value YAML cannot read: {exc}") from None
