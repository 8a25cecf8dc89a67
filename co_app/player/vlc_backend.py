"""libVLC 3 behind the ``Player`` protocol — the only module that imports ``vlc``.

Threading: libVLC delivers events on its own threads and deadlocks if called back from
inside them.  Event handlers here therefore only *forward* (to the event sink) or hand
work to ``self._worker``, a one-thread executor that may call libVLC freely.
"""

from __future__ import annotations

import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from co_app.player.protocol import EventKind, EventSink, PlayerEvent, PlayerState, PlayerUnavailable

log = logging.getLogger(__name__)

# Qt keeps mouse and keyboard; subtitles come only from the files we add, in our order.
INSTANCE_ARGS = (
    "--no-sub-autodetect-file",
    "--no-video-title-show",
    "--no-mouse-events",
    "--no-keyboard-events",
    "--no-snapshot-preview",
    "--quiet",
)


def load_vlc():
    try:
        import vlc  # the one import of vlc in the project

        version = vlc.libvlc_get_version()
    except (Exception, SystemExit) as exc:
        # python-vlc raises NotImplementedError or OSError for a missing library, and calls
        # sys.exit(1) when PYTHON_VLC_LIB_PATH names one that cannot load: none may end the app.
        sys.modules.pop("vlc", None)
        raise PlayerUnavailable(f"libVLC could not be loaded: {exc!r}") from exc
    if version is None:
        raise PlayerUnavailable("libVLC could not be loaded")
    return vlc


def libvlc_version() -> str:
    return load_vlc().libvlc_get_version().decode("utf-8", "replace")


def libvlc_files() -> list[str]:
    """The files of libVLC this process has loaded — the library, its core and its plugins —
    so a check can prove the bundle uses its own copies, not the system's.  On Linux, read
    from the mappings the process really holds; elsewhere, the library python-vlc loaded."""
    vlc = load_vlc()
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return [str(getattr(vlc.dll, "_name", "") or "")]
    found = set()
    for line in maps.read_text(errors="replace").splitlines():
        fields = line.split(None, 5)
        if len(fields) == 6 and fields[5].startswith("/"):
            path = fields[5]
            name = Path(path).name
            if name.startswith(("libvlc.so", "libvlccore.so")) or "/vlc/plugins/" in path:
                found.add(path)
    return sorted(found)


def _c_vsnprintf():  # a ctypes function, or None
    """The C library's ``vsnprintf``: libVLC hands its log callback a printf format and a
    ``va_list`` that only C can expand."""
    import ctypes
    import ctypes.util

    try:
        if sys.platform == "win32":
            function = ctypes.cdll.msvcrt._vsnprintf
        else:
            function = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").vsnprintf
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    function.restype = ctypes.c_int
    return function


class LibVlcLog:
    """Routes one libVLC instance's log into Python logging (logger ``co_app.player.libvlc``),
    so it lands in the data folder's rotating log.  libVLC's debug chatter is dropped unless
    that logger is set to DEBUG; notices are INFO, warnings WARNING, errors ERROR.

    The callback runs on libVLC's threads: it only formats and logs, never calls libVLC."""

    LEVELS = {0: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
    BUFFER = 1024

    def __init__(self, vlc, instance) -> None:
        import ctypes

        self._ctypes = ctypes
        self.logger = logging.getLogger("co_app.player.libvlc")
        self._vsnprintf = _c_vsnprintf()
        self._instance = instance
        self._callback = vlc.CallbackDecorators.LogCb(self._on_message)  # kept: libVLC holds only a pointer
        instance.log_set(self._callback, None)

    def _on_message(self, _data, level, _ctx, fmt, args) -> None:  # libVLC thread
        try:
            python_level = self.LEVELS.get(level, logging.INFO)
            if not self.logger.isEnabledFor(python_level):
                return
            self.logger.log(python_level, "%s", self._format(fmt, args))
        except Exception:  # noqa: BLE001 - an exception must never cross back into C
            pass

    def _format(self, fmt: bytes | None, args) -> str:
        if not fmt:
            return ""
        if self._vsnprintf is None:
            return fmt.decode("utf-8", "replace")
        buffer = self._ctypes.create_string_buffer(self.BUFFER)
        # One call only: a va_list may be walked once.  Longer messages are cut.
        self._vsnprintf(buffer, self.BUFFER, fmt, args)
        return buffer.value.decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the routing (waits for a message being logged); call before releasing the instance."""
        self._instance.log_unset()


class VlcPlayer:
    """One libVLC instance and media player, drawing into a window we give it."""

    def __init__(self, extra_args: tuple[str, ...] = ()) -> None:
        vlc = load_vlc()
        self._vlc = vlc
        self._instance = vlc.Instance(list(INSTANCE_ARGS + extra_args))
        if self._instance is None:
            raise PlayerUnavailable("libVLC could not start (its plugins may be missing)")
        self._log = LibVlcLog(vlc, self._instance)
        self._player = self._instance.media_player_new()
        self._media = None  # keep a reference: libVLC does not own it for us
        self._sink: EventSink | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vlc-worker")
        self._languages: list[str] = []          # subtitle languages, in the order added
        self._spu_ids: dict[str, int] = {}       # language → libVLC track id, once known
        self._wanted_subtitle: str | None = None
        self._state = PlayerState.IDLE
        self._subscribe()

    # -- events ---------------------------------------------------------------------
    def _subscribe(self) -> None:
        E = self._vlc.EventType  # noqa: N806 - reads like libVLC's own EventType
        mgr = self._player.event_manager()
        states = {
            E.MediaPlayerOpening: PlayerState.OPENING,
            E.MediaPlayerPlaying: PlayerState.PLAYING,
            E.MediaPlayerPaused: PlayerState.PAUSED,
            E.MediaPlayerStopped: PlayerState.STOPPED,
            E.MediaPlayerEndReached: PlayerState.ENDED,
            E.MediaPlayerEncounteredError: PlayerState.ERROR,
        }
        for event_type, state in states.items():
            mgr.event_attach(event_type, self._on_state, state)
        mgr.event_attach(E.MediaPlayerTimeChanged, self._on_time)
        mgr.event_attach(E.MediaPlayerLengthChanged, self._on_length)
        mgr.event_attach(E.MediaPlayerESAdded, self._on_es_added)

    def _emit(self, kind: EventKind, value: object) -> None:
        sink = self._sink
        if sink is not None:
            sink(PlayerEvent(kind, value))

    def _on_state(self, _event, state: PlayerState) -> None:  # libVLC thread
        self._state = state
        self._emit(EventKind.STATE, state)
        if state is PlayerState.ERROR:
            self._emit(EventKind.ERROR, "libVLC could not play the file")

    def _on_time(self, event) -> None:  # libVLC thread
        self._emit(EventKind.TIME, int(event.u.new_time))

    def _on_length(self, event) -> None:  # libVLC thread
        self._emit(EventKind.LENGTH, int(event.u.new_length))

    def _on_es_added(self, _event) -> None:  # libVLC thread: defer the calls
        try:
            self._worker.submit(self._map_subtitle_tracks)
        except RuntimeError:  # the player was closed meanwhile: libVLC's late event has nothing to map
            pass

    def _map_subtitle_tracks(self) -> None:
        """Match libVLC's subtitle track ids to our languages (worker thread).

        Slave subtitle tracks get ids after any track inside the video file, in the
        order we added them, so the last len(languages) ids are ours, in order.
        """
        if not self._languages:
            return
        described = self._player.video_get_spu_description() or []
        ids = sorted(track_id for track_id, _name in described if track_id >= 0)
        if len(ids) < len(self._languages):
            return  # more tracks still to come
        mapping = dict(zip(self._languages, ids[-len(self._languages):]))
        changed = mapping != self._spu_ids
        self._spu_ids = mapping
        # Also when nothing changed: playing the film again after its end adds the same
        # tracks again, and libVLC shows its first one (Arabic for a Dari group) unless told.
        self._apply_subtitle()
        if changed:
            self._emit(EventKind.SUBTITLES, list(self._languages))

    def _apply_subtitle(self) -> None:
        wanted = self._wanted_subtitle
        if wanted is None:
            self._player.video_set_spu(-1)
        elif wanted in self._spu_ids:
            self._player.video_set_spu(self._spu_ids[wanted])

    # -- the protocol -----------------------------------------------------------------
    def set_event_sink(self, sink: EventSink | None) -> None:
        self._sink = sink

    def set_output_window(self, window_id: int) -> None:
        if sys.platform.startswith("linux"):
            self._player.set_xwindow(int(window_id))
        elif sys.platform == "win32":
            self._player.set_hwnd(int(window_id))
        elif sys.platform == "darwin":
            self._player.set_nsobject(int(window_id))

    def open(self, video: Path, subtitles: dict[str, Path]) -> None:
        media = self._instance.media_new_path(str(video))
        self._languages = list(subtitles)
        self._spu_ids = {}
        for path in subtitles.values():
            media.slaves_add(self._vlc.MediaSlaveType.subtitle, 4, Path(path).absolute().as_uri())
        self._player.set_media(media)
        self._media = media
        self._state = PlayerState.IDLE

    def play(self) -> None:
        self._player.play()

    def pause(self) -> None:
        self._player.set_pause(1)

    def stop(self) -> None:
        self._player.stop()

    def state(self) -> PlayerState:
        return self._state

    def position_ms(self) -> int:
        return max(0, int(self._player.get_time()))

    def length_ms(self) -> int:
        return max(0, int(self._player.get_length()))

    def seek_ms(self, position: int) -> None:
        self._player.set_time(max(0, int(position)))

    def volume(self) -> int:
        return int(self._player.audio_get_volume())

    def set_volume(self, volume: int) -> None:
        self._player.audio_set_volume(max(0, min(100, int(volume))))

    def rate(self) -> float:
        return float(self._player.get_rate())

    def set_rate(self, rate: float) -> None:
        self._player.set_rate(float(rate))

    def subtitle_languages(self) -> list[str]:
        return list(self._languages)

    def subtitle_language(self) -> str | None:
        """The language of the track libVLC is actually showing (None = off or unknown)."""
        current = self._player.video_get_spu()
        return next((lang for lang, track in self._spu_ids.items() if track == current), None)

    def set_subtitle_language(self, language: str | None) -> None:
        self._wanted_subtitle = language
        if self._spu_ids or language is None:
            self._apply_subtitle()

    def release(self) -> None:
        self._sink = None
        self._worker.shutdown(wait=True, cancel_futures=True)
        self._player.stop()
        self._player.release()
        self._log.close()
        self._instance.release()
        self._media = None
