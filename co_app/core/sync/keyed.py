"""The keyed container: a package encrypted to its recipients' keys and signed by its maker.

    magic     8 bytes   b"WCCOKEYD"
    length    4 bytes   the header's length (big-endian)
    header    JSON      sender (device, name, role, public keys), recipients (each: the
                        fingerprint, an ephemeral X25519 key and the wrapped content key),
                        the nonce and the payload's length
    payload   n bytes   the zip, AES-256-GCM with the content key; magic, length and
                        header are its associated data
    tag       16 bytes  GCM's tag
    signature 64 bytes  Ed25519, by the sender, over the SHA-256 of everything before it

The signature is checked over the whole file before anything is decrypted; a package
whose sender this database has not enrolled is refused with the sender's fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from co_app.core.sync.container import CHUNK, TAG_SIZE, PackageError, check_size, decrypt_payload
from co_app.core.sync.keys import OwnKeys, PublicKeys, b64, fingerprint, unb64
from co_app.core.foundation.errors import sentence
from co_app.core.foundation.i18n import N_

MAGIC = b"WCCOKEYD"
LENGTH = struct.Struct(">I")
SIGNATURE_SIZE = 64
MAX_HEADER = 256 * 1024
_WRAP_INFO = b"welcoming-communities-co sync key wrap"


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WRAP_INFO + ephemeral + recipient
                ).derive(shared)


def _wrap(content_key: bytes, recipient: PublicKeys) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    eph_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.box))
    # Each wrapping key is used once (a fresh ephemeral key each time): a fixed nonce is safe.
    wrapped = AESGCM(_kek(shared, eph_public, recipient.box)).encrypt(b"\0" * 12, content_key, None)
    return {"to": recipient.fingerprint, "ephemeral": b64(eph_public), "wrapped": b64(wrapped)}


def write_keyed(source: BinaryIO, out: BinaryIO, own: OwnKeys, recipients: list[PublicKeys], *,
                cancel: Callable[[], None] | None = None) -> None:
    """Encrypt all of ``source`` (seekable) to ``recipients`` and sign it, into ``out``."""
    if not recipients:
        raise PackageError(sentence(N_("There is nobody to send this package to: no office enrolled, or no laptop "
                                       "enrolled with this office yet.")))
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    content_key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    header = json.dumps({
        "container": 2, "sender": own.public.device_id, "sender_name": own.public.name, "sender_role": own.public.role,
        "sign": b64(own.public.sign), "box": b64(own.public.box), "nonce": b64(nonce), "payload_len": size,
        "recipients": [_wrap(content_key, r) for r in recipients],
    }, ensure_ascii=False).encode("utf-8")
    prefix = MAGIC + LENGTH.pack(len(header)) + header
    digest = hashlib.sha256(prefix)
    encryptor = Cipher(algorithms.AES(content_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(prefix)
    out.write(prefix)
    while chunk := source.read(CHUNK):
        if cancel:
            cancel()
        data = encryptor.update(chunk)
        digest.update(data)
        out.write(data)
    tail = encryptor.finalize() + encryptor.tag
    digest.update(tail)
    out.write(tail)
    out.write(own.sign.sign(digest.digest()))


@dataclass(frozen=True)
class KeyedEnvelope:
    header: dict[str, Any]
    prefix: bytes
    sender: PublicKeys

    @property
    def payload_len(self) -> int:
        return int(self.header["payload_len"])


def read_keyed(path: Path, fh: BinaryIO) -> KeyedEnvelope:
    """The header of a keyed package; PackageError when it is damaged or truncated."""
    fh.seek(0)
    start = fh.read(len(MAGIC) + LENGTH.size)
    if len(start) < len(MAGIC) + LENGTH.size:
        raise PackageError(sentence(N_("The sync package {path} is truncated: it ends inside its header."),
                                    path=path))
    (length,) = LENGTH.unpack(start[len(MAGIC):])
    if length > MAX_HEADER:
        raise PackageError(sentence(N_("The sync package {path} is damaged: its header is not valid."), path=path))
    raw = fh.read(length)
    try:
        header = json.loads(raw.decode("utf-8"))
        sender = PublicKeys(str(header["sender"])[:36], str(header.get("sender_name", ""))[:80],
                            str(header.get("sender_role", "")), unb64(header["sign"]), unb64(header["box"]))
        Ed25519PublicKey.from_public_bytes(sender.sign)
        X25519PublicKey.from_public_bytes(sender.box)
        payload_len = int(header["payload_len"])
        if not isinstance(header.get("recipients"), list) or payload_len < 0:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: [[[… deep
        raise PackageError(sentence(N_("The sync package {path} is damaged: its header is not valid."),
                                    path=path)) from None
    check_size(path, fh, len(start) + length + payload_len + TAG_SIZE + SIGNATURE_SIZE)
    return KeyedEnvelope(header, start + raw, sender)


def verify(path: Path, fh: BinaryIO, envelope: KeyedEnvelope, signer: PublicKeys,
           cancel: Callable[[], None] | None = None) -> None:
    """Check the signature over the whole file with ``signer``'s enrolled key."""
    fh.seek(0, os.SEEK_END)
    end = fh.tell() - SIGNATURE_SIZE
    fh.seek(0)
    digest, left = hashlib.sha256(), end
    while left > 0:
        if cancel:
            cancel()
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    signature = fh.read(SIGNATURE_SIZE)
    try:
        Ed25519PublicKey.from_public_bytes(signer.sign).verify(signature, digest.digest())
    except InvalidSignature:
        raise PackageError(sentence(N_("The sync package {path} was refused: its signature is not that of {name} "
                                       "(altered, or made by someone else). Nothing was imported."),
                                    path=path, name=signer.name or 'its sender')) from None


def decrypt_keyed(path: Path, fh: BinaryIO, envelope: KeyedEnvelope, own: OwnKeys, out: BinaryIO, *,
                  cancel: Callable[[], None] | None = None) -> None:
    """Unwrap the content key with this database's key and decrypt the payload into ``out``."""
    mine = fingerprint(own.public.sign, own.public.box)
    entry = next((r for r in envelope.header["recipients"] if isinstance(r, dict) and r.get("to") == mine), None)
    if entry is None:
        sender = envelope.sender.name or envelope.sender.device_id
        if envelope.sender.role == "laptop" and own.public.role == "office":
            raise PackageError(sentence(N_('The sync package {path} from "{sender}" was sealed for another office, '
                                           "not this one: that laptop is enrolled with another office's key (sync "
                                           "status on it says which)."), path=path, sender=sender))
        raise PackageError(sentence(N_('The sync package {path} from "{sender}" is not meant for this computer: it '
                                       "was sealed for other keys (this computer has not sent that office a package "
                                       "yet, or is enrolled elsewhere)."), path=path, sender=sender))
    try:
        ephemeral = unb64(entry["ephemeral"])
        shared = own.box.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        content_key = AESGCM(_kek(shared, ephemeral, own.public.box)).decrypt(b"\0" * 12, unb64(entry["wrapped"]),
                                                                              None)
        nonce = unb64(envelope.header["nonce"])
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise PackageError(sentence(N_("The sync package {path} is damaged: its key for this computer cannot be "
                                       "opened."), path=path)) from None
    decryptor = Cipher(algorithms.AES(content_key), modes.GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(envelope.prefix)
    fh.seek(len(envelope.prefix))
    decrypt_payload(path, fh, decryptor, envelope.payload_len, out, cancel=cancel)
