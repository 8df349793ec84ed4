"""Email addresses and mail domains, as client profiles write them.

An address is ``local@domain`` in plain ASCII (a dot-atom local part, a
domain of two or more DNS labels), nothing else: no display name, no
comment, no quoted local part, no space or control character. Strict on
purpose: an address here is typed once by a person and then trusted to
decide who may read a TLP:AMBER+STRICT brief.

Domains compare case-insensitively and only whole: ``mail.client.com`` is
not ``client.com`` unless the profile declares it, and ``evilclient.com``
never is. No suffix matching anywhere.
"""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
DOMAIN_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
LOCAL_RE = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*$")


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` is not a mail domain, or None when it is one."""
    if not domain.isascii():
        return "write an international domain in its ASCII form (xn--...)"
    if len(domain) > 253 or not DOMAIN_RE.match(domain) or domain.rsplit(".", 1)[-1].isdigit():
        return "expected a domain such as client.example.com"
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` is not a plain email address, or None when it is one."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in address):
        return "it contains a space or a control character"
    if address.count("@") != 1:
        return "expected one '@', as in name@client.example.com"
    local, domain = address.split("@")
    if not local or len(local) > 64 or not LOCAL_RE.match(local):
        return "the part before '@' is not a plain mailbox name"
    problem = domain_problem(domain)
    return f"after '@': {problem}" if problem else None


def domain_of(address: str) -> str:
    """The domain of a valid address, lower-case."""
    return address.rsplit("@", 1)[1].lower()


def same_address(a: str, b: str) -> bool:
    """Addresses compare case-insensitively (domains always are; local parts
    are in every mail system a client is likely to run)."""
    return a.lower() == b.lower()


def in_domains(address: str, domains: list[str]) -> bool:
    """Whether the address's domain is one of ``domains``, exactly (a
    subdomain only when it is itself listed)."""
    return domain_of(address) in {d.lower().rstrip(".") for d in domains}
