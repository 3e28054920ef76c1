"""Two-factor secrets at rest: AES-256-GCM under a key from ``GARITA_TOTP_KEY``.

A TOTP secret is a password-equivalent: whoever reads it makes valid codes forever.
A copy of the database (a backup, a dump handed to a contractor) must not be enough,
so the column holds ``v1.<key id>.<base64url(nonce || ciphertext+tag)>``; the
associated data names the account, so a sealed secret copied onto another account's
row does not open. ``key id`` is a public fingerprint: after a rotation the previous
key (``GARITA_TOTP_KEY_PREVIOUS``) still opens older secrets, and each is re-sealed
under the current key the next time it is used (or at once by ``garita secrets
reseal-totp``). The construction is ``garita.sealbox``, shared with the photos.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from garita.sealbox import Altered, KeyNotConfigured, SealKeys

PREFIX = "v1"
LABEL = "garita-totp-key"


class SealError(ValueError):
    """A sealed secret that does not open: its key is not configured, or it was altered."""


def _aad(account_id: int) -> bytes:
    return f"garita-totp:{account_id}".encode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX + ".")


@dataclass(frozen=True)
class TotpKeys:
    """The two-factor keys (``garita.sealbox``), stored as ``v1.<key id>.<base64url box>``."""

    box: SealKeys

    @classmethod
    def of(cls, secret: str, previous: tuple[str, ...] = ()) -> TotpKeys:
        return cls(SealKeys.of(LABEL, secret, previous))

    @property
    def current_id(self) -> str:
        return self.box.current_id

    def seal(self, secret: str, account_id: int) -> str:
        box = self.box.seal(secret.encode(), _aad(account_id))
        return f"{PREFIX}.{self.current_id}.{base64.urlsafe_b64encode(box).decode()}"

    def open(self, stored: str, account_id: int) -> str:
        """The base32 secret, or SealError saying which key is missing or that it was altered."""
        parts = stored.split(".")
        if len(parts) != 3 or parts[0] != PREFIX:
            raise SealError(f"the two-factor secret of account {account_id} is not sealed "
                            "(run the database migrations: `garita db upgrade`)")
        kid = parts[1]
        try:
            return self.box.open(base64.urlsafe_b64decode(parts[2]), kid,
                                 _aad(account_id)).decode()
        except KeyNotConfigured as exc:
            raise SealError(f"the two-factor secret of account {account_id} was sealed with key "
                            f"{kid}, which is not configured: set GARITA_TOTP_KEY (or add the "
                            "old key to GARITA_TOTP_KEY_PREVIOUS)") from exc
        except Altered as exc:
            raise SealError(f"the two-factor secret of account {account_id} does not open: "
                            "altered or moved from another account") from exc

    def is_current(self, stored: str) -> bool:
        return stored.startswith(f"{PREFIX}.{self.current_id}.")
