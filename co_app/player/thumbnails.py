"""Thumbnails for the library view, taken from a frame of the film itself.

libVLC decodes into a buffer of ours (its "video callbacks"), so no window and no display
are needed and the same code runs on a laptop, under Xvfb and in a headless test.  The
frame is written as PNG by a tiny standard-library encoder, because this package may not
use Qt.  ``vlc`` is obtained from ``vlc_backend.load_vlc()``: that module stays the only
importer of libVLC, and a missing libVLC raises ``PlayerUnavailable`` like the player does.

Threading: libVLC calls our callbacks on its own threads, where calling libVLC back can
deadlock; they only copy the frame and set an ``Event``.  Every wait is bounded, and the
whole libVLC session runs on a helper thread, so a libVLC that never returns (a broken
file, a stuck decoder) costs the caller ``timeout_s`` plus a short grace, never a hang.
"""

from __future__ import annotations

import ctypes
import struct
import threading
import time
import zlib
from pathlib import Path

from co_app.core.foundation.errors import CoError
from co_app.core.foundation.fileio import atomic_write_bytes, make_private_dirs
from co_app.player.protocol import PlayerUnavailable
from co_app.player.vlc_backend import load_vlc

# No sound, no subtitles or on-screen text (the title would be drawn into the frame), no
# log noise.  Core options only: libVLC refuses to start on an option no plugin knows.
INSTANCE_ARGS = (
    "--no-audio", "--no-spu", "--no-osd", "--no-sub-autodetect-file",
    "--no-video-title-show", "--no-snapshot-preview", "--no-stats", "--quiet",
)
#: Time allowed for libVLC to stop and release after the deadline, before we give up on it.
TEARDOWN_GRACE_S = 3.0
_ALIGN = 32  # libVLC wants picture planes aligned on 32 bytes


class ThumbnailError(CoError):
    """No thumbnail could be made; the message names the film."""


class _Track(ctypes.Structure):
    """The head of C's ``libvlc_media_track_t``, declared here because python-vlc
    declares its union of track pointers as three separate fields."""

    _fields_ = [("codec", ctypes.c_uint32), ("fourcc", ctypes.c_uint32), ("id", ctypes.c_int),
                ("type", ctypes.c_int), ("profile", ctypes.c_int), ("level", ctypes.c_int),
                ("detail", ctypes.c_void_p)]


class _VideoTrack(ctypes.Structure):
    _fields_ = [("height", ctypes.c_uint), ("width", ctypes.c_uint),
                ("sar_num", ctypes.c_uint), ("sar_den", ctypes.c_uint)]


def thumbnail_path(cache_dir: Path, video: Path) -> Path:
    """The cache name of a film's thumbnail.  Size and modification time are in the name,
    so a film replaced by another file of the same name gets a new thumbnail."""
    try:
        st = Path(video).stat()
    except OSError as exc:
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: {exc.strerror or exc}.") from exc
    return Path(cache_dir) / f"{Path(video).stem}-{st.st_size}-{st.st_mtime_ns}.png"


def cached_thumbnail(cache_dir: Path, video: Path, **kw: object) -> Path:
    """The film's thumbnail from the cache, made first if it is not there yet."""
    path = thumbnail_path(cache_dir, video)
    if path.is_file():
        return path
    try:
        make_private_dirs(Path(cache_dir))
    except OSError as exc:
        raise ThumbnailError(f"Cannot create the thumbnail folder {cache_dir}: {exc.strerror or exc}.") from exc
    return make_thumbnail(video, path, **kw)  # type: ignore[arg-type]


def make_thumbnail(video: Path, dest: Path, *, at_fraction: float = 0.25, width: int = 320,
                   timeout_s: float = 10.0) -> Path:
    """Write a ``width``-pixel-wide PNG of the frame at ``at_fraction`` of the film to ``dest``.

    The height follows the film's own shape (its pixel aspect included), so the library
    can lay thumbnails out like the films will look.  Returns ``dest``.
    """
    video, dest = Path(video), Path(dest)
    if not 0.0 <= at_fraction < 1.0 or width < 16 or timeout_s <= 0:
        raise ValueError("at_fraction must be in [0, 1), width at least 16, timeout_s positive")
    if not video.is_file():
        why = "it is not a file" if video.exists() else "the file does not exist"
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: {why}.")
    vlc = load_vlc()  # PlayerUnavailable, with its reason, when libVLC is missing
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(_capture(vlc, video, at_fraction, width, timeout_s))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
            outcome.append(exc)

    worker = threading.Thread(target=run, name="thumbnail", daemon=True)
    worker.start()
    worker.join(timeout_s + TEARDOWN_GRACE_S)
    if not outcome:  # libVLC is stuck (or the worker died); it finishes on its own, if ever
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: libVLC did not finish in time.")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    w, h, bgrx = result
    try:
        atomic_write_bytes(dest, encode_png(w, h, bgrx))
    except OSError as exc:
        raise ThumbnailError(f"Cannot write the thumbnail {dest}: {exc.strerror or exc}.") from exc
    return dest


def _capture(vlc, video: Path, at_fraction: float, width: int, timeout_s: float):
    """One libVLC session, on the helper thread: returns (w, h, BGRX bytes)."""
    deadline = time.monotonic() + timeout_s
    instance = vlc.Instance(list(INSTANCE_ARGS))
    if instance is None:
        raise PlayerUnavailable("libVLC could not start (its plugins may be missing)")
    try:
        media = instance.media_new_path(str(video))
        length_ms, shape = _probe(vlc, media, video, deadline)
        if at_fraction > 0 and length_ms > 0:
            media.add_option(f":start-time={length_ms * at_fraction / 1000:.3f}")
        w, h = _box(width, shape)
        frame, seen, played_ms = _first_frame(vlc, instance, media, w, h, video, deadline, timeout_s)
        # Some files (MPEG-TS, some Ogg) tell their size or length only once playing: take
        # the frame again, in the right shape and place, rather than keep a stretched or early one.
        resize = shape is None and all(seen) and _box(width, (*seen, 1.0)) != (w, h)
        reseek = at_fraction > 0 and length_ms <= 0 < played_ms
        if resize or reseek:
            w, h = _box(width, (*seen, 1.0)) if resize else (w, h)
            if reseek:
                media.add_option(f":start-time={played_ms * at_fraction / 1000:.3f}")
            frame, _, _ = _first_frame(vlc, instance, media, w, h, video, deadline, timeout_s)
        return w, h, frame
    finally:
        instance.release()


def _probe(vlc, media, video: Path, deadline: float) -> tuple[int, tuple[int, int, float] | None]:
    """Parse the file (bounded by the deadline): its length and its picture's shape
    (width, height, pixel aspect), or None for a picture whose size is known only later."""
    parsed = threading.Event()
    media.event_manager().event_attach(vlc.EventType.MediaParsedChanged, lambda _e: parsed.set())
    remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
    started = media.parse_with_options(vlc.MediaParseFlag.local, remaining_ms) == 0
    if not started or not parsed.wait(remaining_ms / 1000 + 0.5) or \
            media.get_parsed_status() == vlc.MediaParsedStatus.timeout:
        media.parse_stop()
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: libVLC could not read it in time.")
    if media.get_parsed_status() != vlc.MediaParsedStatus.done:
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: libVLC cannot read it as a video.")
    array = ctypes.POINTER(vlc.MediaTrack)()
    count = vlc.libvlc_media_tracks_get(media, ctypes.byref(array))
    try:
        pointers = ctypes.cast(array, ctypes.POINTER(ctypes.c_void_p * count)).contents if count else ()
        tracks = [ctypes.cast(p, ctypes.POINTER(_Track)).contents for p in pointers]
        videos = [ctypes.cast(t.detail, ctypes.POINTER(_VideoTrack)).contents
                  for t in tracks if t.type == vlc.TrackType.video.value and t.detail]
        if not videos:
            raise ThumbnailError(f"Cannot make a thumbnail of {video}: it is not a video, or has no picture.")
        v = videos[0]
        aspect = v.sar_num / v.sar_den if v.sar_num and v.sar_den else 1.0
        shape = (v.width, v.height, aspect) if v.width and v.height else None
    finally:
        if count:
            # The C array is a track**: cast, or ctypes would pass the address of ``array``.
            vlc.libvlc_media_tracks_release(ctypes.cast(array, ctypes.POINTER(ctypes.POINTER(vlc.MediaTrack))), count)
    return max(0, media.get_duration()), shape


def _box(width: int, shape: tuple[int, int, float] | None) -> tuple[int, int]:
    """The thumbnail's size: ``width`` wide and as high as the picture's shape says.
    An even height suits libVLC's converters; an unknown shape falls back to 16:9."""
    if shape is None:
        return width, width * 9 // 16 // 2 * 2
    w, h, pixel_aspect = shape
    height = round(width * h / (w * pixel_aspect) / 2) * 2
    return width, max(2, min(height, 4 * width))


def _first_frame(vlc, instance, media, w: int, h: int, video: Path, deadline: float,
                 timeout_s: float) -> tuple[bytes, tuple[int, int], int]:
    """Play (silently, from the start time set on ``media``) until libVLC shows one frame:
    its BGRX bytes, the picture's size as decoded and the film's length (0s if unknown)."""
    pitch = w * 4
    size = pitch * h
    raw = ctypes.create_string_buffer(size + _ALIGN)
    plane = ctypes.addressof(raw) + (-ctypes.addressof(raw)) % _ALIGN
    frame: list[bytes] = []
    over = threading.Event()  # a frame arrived, or the film ended or failed first
    cb = vlc.CallbackDecorators

    # These callbacks (and the event handlers below) run on libVLC's threads: no libVLC calls
    # in them, only a copy and Event.set().  They stay referenced until the player is
    # released, or libVLC would call freed memory.
    @cb.VideoLockCb
    def lock(_opaque, planes):
        planes[0] = plane
        return None

    @cb.VideoDisplayCb
    def display(_opaque, _picture):
        if not over.is_set():
            frame.append(ctypes.string_at(plane, size))
            over.set()

    player = instance.media_player_new()
    try:
        player.video_set_callbacks(lock, None, display, None)
        player.video_set_format("RV32", w, h, pitch)
        manager = player.event_manager()
        for kind in (vlc.EventType.MediaPlayerEndReached, vlc.EventType.MediaPlayerEncounteredError):
            manager.event_attach(kind, lambda _e: over.set())
        player.set_media(media)
        if player.play() != 0:
            raise ThumbnailError(f"Cannot make a thumbnail of {video}: libVLC cannot play it.")
        over.wait(max(0.0, deadline - time.monotonic()))
        try:
            seen = player.video_get_size(0)  # the size as decoded
        except vlc.VLCException:  # no picture, so no size
            seen = None
        played_ms = max(0, player.get_length())
        player.stop()  # outside any callback, on our own thread: safe
    finally:
        player.release()
    if not frame:
        why = ("it ended or failed before showing a picture" if over.is_set()
               else f"no picture came within {timeout_s:g} seconds")
        raise ThumbnailError(f"Cannot make a thumbnail of {video}: {why}.")
    return frame[0], (seen or (0, 0)), played_ms


def encode_png(width: int, height: int, bgrx: bytes) -> bytes:
    """A PNG (8-bit RGB, no filtering) of libVLC's RV32 frame, whose bytes are B, G, R, X."""
    rgb = bytearray(width * height * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = bgrx[2::4], bgrx[1::4], bgrx[0::4]
    stride = width * 3
    rows = b"".join(b"\0" + rgb[y:y + stride] for y in range(0, len(rgb), stride))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
