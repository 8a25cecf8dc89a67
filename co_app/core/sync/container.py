"""The outside of a sync package: a plain zip, or that zip encrypted with a passphrase.

An encrypted package is::

    header   80 bytes   b"WCCOSYNC", container version, scrypt log2(n), r, p,
                        salt (16), nonce (12), key check (32), payload length (8)
    payload  n bytes    the zip, encrypted with AES-256-GCM (the header is its
                        associated data, so no byte of the header can be changed either)
    tag      16 bytes   GCM's authentication tag

scrypt turns the passphrase and salt into 64 bytes: the first 32 are the AES key, the
other 32 are stored as the key check, so a wrong passphrase is told apart from a damaged
file at once, before decrypting anything.  A truncated file is told by its length.
"""

from __future__ import annotations

import hmac
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

MAGIC = b"WCCOSYNC"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
CONTAINER_VERSION = 1
HEADER = struct.Struct(">8sBBBB16s12s32sQ")
TAG_SIZE = 16
CHUNK = 1 << 20

#: scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB of memory, about a tenth of a second.
KDF_LOG2_N, KDF_R, KDF_P = 15, 8, 1
#: What a package may ask of us: more would let a crafted file exhaust memory or time.
#: At most 128 MiB and about eight times today's time (2**17 × 8 × 128 bytes, p ≤ 2); a header
#: asking for 2**20, 16, 4 would take 2 GiB and half a minute before the passphrase is known wrong.
MAX_KDF_LOG2_N, MAX_KDF_R, MAX_KDF_P = 17, 8, 2
MIN_PASSPHRASE = 8


class PackageError(CoError):
    """A sync package that cannot be used; the message names the file and the problem."""


class PassphraseError(PackageError):
    """A passphrase is missing, too short, or wrong."""


@dataclass(frozen=True)
class Envelope:
    """What the first bytes of a package say about it."""

    encrypted: bool
    log2n: int = 0
    r: int = 0
    p: int = 0
    salt: bytes = b""
    nonce: bytes = b""
    key_check: bytes = b""
    payload_len: int = 0
    header: bytes = b""


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(
            sentence(N_("The passphrase is too short: use at least {minimum} characters (a few words are "
                        "best)."), minimum=MIN_PASSPHRASE))


def _derive(passphrase: str, salt: bytes, log2n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=64, n=1 << log2n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return material[:32], material[32:]


def encrypt_file(source: BinaryIO, out: BinaryIO, passphrase: str, *,
                 cancel: Callable[[], None] | None = None) -> None:
    """Encrypt all of ``source`` (a seekable file) into ``out``."""
    check_passphrase_strength(passphrase)
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    salt, nonce = os.urandom(16), os.urandom(12)
    key, key_check = _derive(passphrase, salt, KDF_LOG2_N, KDF_R, KDF_P)
    header = HEADER.pack(MAGIC, CONTAINER_VERSION, KDF_LOG2_N, KDF_R, KDF_P, salt, nonce, key_check, size)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    out.write(header)
    while chunk := source.read(CHUNK):
        if cancel:
            cancel()
        out.write(encryptor.update(chunk))
    out.write(encryptor.finalize())
    out.write(encryptor.tag)


def read_envelope(path: Path, fh: BinaryIO) -> Envelope:
    """Recognise the package's kind from its first bytes; PackageError when it is neither."""
    start = fh.read(HEADER.size)
    fh.seek(0)
    if start[:4] in ZIP_MAGICS:
        return Envelope(encrypted=False)
    if not start.startswith(MAGIC):
        raise PackageError(sentence(N_("{path} is not a sync package of Welcoming Communities CO."), path=path))
    if len(start) < HEADER.size:
        raise PackageError(sentence(N_("The sync package {path} is truncated: it ends inside its header."),
                                    path=path))
    magic, version, log2n, r, p, salt, nonce, key_check, payload_len = HEADER.unpack(start)
    if version > CONTAINER_VERSION:
        raise PackageError(sentence(N_("The sync package {path} was made by a newer version of Welcoming Communities "
                                       "CO (package format {version}); update this application to import it."),
                                    path=path, version=version))
    if version < 1 or not (10 <= log2n <= MAX_KDF_LOG2_N and 1 <= r <= MAX_KDF_R and 1 <= p <= MAX_KDF_P):
        raise PackageError(sentence(N_("The sync package {path} is damaged: its header is not valid."), path=path))
    check_size(path, fh, HEADER.size + payload_len + TAG_SIZE)
    return Envelope(True, log2n, r, p, salt, nonce, key_check, payload_len, start)


def check_size(path: Path, fh: BinaryIO, expected: int) -> None:
    """A PackageError unless the file ``fh`` (left at its start) has exactly ``expected`` bytes,
    as its header says: a truncated copy, or bytes added after the end."""
    fh.seek(0, os.SEEK_END)
    actual = fh.tell()
    fh.seek(0)
    if actual < expected:
        raise PackageError(sentence(N_("The sync package {path} is truncated: it has {actual} bytes of the "
                                       "{expected} it should have. Copy it again from the original."),
                                    path=path, actual=actual, expected=expected))
    if actual > expected:
        raise PackageError(sentence(N_("The sync package {path} is damaged: it has {value} bytes more than it should."),
                                    path=path, value=actual - expected))


def decrypt_file(path: Path, fh: BinaryIO, envelope: Envelope, passphrase: str | None, out: BinaryIO, *,
                 cancel: Callable[[], None] | None = None) -> None:
    """Decrypt the payload into ``out``; PassphraseError or PackageError when it cannot be."""
    if not passphrase:
        raise PassphraseError(sentence(N_("The sync package {path} is encrypted: give its passphrase."), path=path))
    key, key_check = _derive(passphrase, envelope.salt, envelope.log2n, envelope.r, envelope.p)
    if not hmac.compare_digest(key_check, envelope.key_check):
        raise PassphraseError(sentence(N_("Wrong passphrase for the sync package {path}."), path=path))
    decryptor = Cipher(algorithms.AES(key), modes.GCM(envelope.nonce)).decryptor()
    decryptor.authenticate_additional_data(envelope.header)
    fh.seek(HEADER.size)
    decrypt_payload(path, fh, decryptor, envelope.payload_len, out, cancel=cancel)


def decrypt_payload(path: Path, fh: BinaryIO, decryptor, length: int, out: BinaryIO, *,  # an AES-GCM decryptor
                    cancel: Callable[[], None] | None = None) -> None:
    """Decrypt ``length`` bytes from ``fh``'s position, then check GCM's tag that follows
    them; both containers (passphrase and keys) end their payload this way."""
    left = length
    while left > 0:
        if cancel:
            cancel()
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            raise PackageError(sentence(N_("The sync package {path} is truncated."), path=path))
        left -= len(chunk)
        out.write(decryptor.update(chunk))
    tag = fh.read(TAG_SIZE)
    try:
        out.write(decryptor.finalize_with_tag(tag))
    except (InvalidTag, ValueError):
        raise PackageError(sentence(N_("The sync package {path} is damaged or was altered after it was made (its "
                                       "authentication check fails); nothing was imported."), path=path)) from None
    out.flush()
    out.seek(0)
