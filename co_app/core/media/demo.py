"""The demo media pack: short, clearly labelled placeholder clips for every film.

The real films come from the programme's media pack, which a fresh laptop (or a test run)
does not have.  So that the application works out of the box, this module generates, for
each film of the manifest, a short H.264/AAC clip that says on every frame that it is a
placeholder, plus demo subtitles in English, Arabic, Dari, Tigrinya, Somali and French.  A
marker file records what was generated, so re-running setup skips clips that are already there and the
library can tell a demo clip from a real film by name and size alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable

import babel

from co_app.core.foundation.errors import DemoMediaError, sentence
from co_app.core.foundation.fileio import atomic_write_text, make_private_dirs
from co_app.core.foundation.languages import is_rtl
from co_app.core.media.subtitles import RLM
from co_app.core.media.manifest import VIDEO_EXTENSIONS, Film, Manifest, load_manifest
from co_app.core.foundation.i18n import N_

DEMO_MARKER_NAME = ".demo-pack.json"
MARKER_FORMAT = 1
SERIES = "Small Places, Great Hearts"
SUBTITLE_LANGUAGES = ("en", "ar", "fa_AF", "ti", "so", "fr")
MIN_SECONDS = 10.0

# Dark backgrounds (white text stays readable) and tones, one per film, so a tester can
# tell clips apart by eye and ear.  Films beyond the palette reuse it from the start.
_COLOURS = ("0x1f4e79", "0x7a1f3d", "0x1e6b45", "0x6b4e16", "0x4b2a7a", "0x0f6470", "0x7a3a12", "0x3a3f47")
_TONES = (262, 294, 330, 392, 440, 494, 523, 587)

# One template per language; {town} and {country} are filled in per film.  The last line
# names the language in that language, so tracks can be told apart on screen and in tests.
_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        "This is a demo clip for {town}, {country}.",
        f"It stands in for a film from the series “{SERIES}”.",
        "The real film is imported from the programme’s media pack.",
        "English subtitles",
    ),
    "ar": (
        "هذا مقطع تجريبي عن {town}، {country}.",
        "يحل هذا المقطع محل فيلم من سلسلة «أماكن صغيرة، قلوب كبيرة».",
        "يُستورد الفيلم الحقيقي من حزمة الوسائط الخاصة بالبرنامج.",
        "ترجمة عربية",
    ),
    # Dari and Tigrinya: translated here, not yet reviewed by a native speaker.
    "fa_AF": (
        "این یک کلیپ نمایشی برای {town}، {country} است.",
        "این کلیپ جای یک فلم از سلسله «جاهای کوچک، دل‌های بزرگ» را می‌گیرد.",
        "فلم اصلی از بسته رسانه‌ای برنامه وارد می‌شود.",
        "زیرنویس دری",
    ),
    "ti": (
        "እዚ ን{town}፣ {country} ዝምልከት ናይ መርኣያ ክሊፕ እዩ።",
        "ኣብ ክንዲ ሓደ ፊልም ካብ ተኸታታሊ «ንኣሽቱ ቦታታት፣ ዓበይቲ ልብታት» ዝቐርብ እዩ።",
        "እቲ ሓቀኛ ፊልም ካብ ናይቲ ፕሮግራም ጥቕሊ ሚድያ ይኣቱ።",
        "ንኡስ ጽሑፍ ብትግርኛ",
    ),
    # Somali: machine-made here, not yet reviewed by a native speaker.
    "so": (
        "Kani waa muuqaal tijaabo ah oo ku saabsan {town}, {country}.",
        f"Wuxuu beddelayaa filim ka mid ah taxanaha “{SERIES}”.",
        "Filimka dhabta ah waxaa laga soo gelinayaa xirmada warbaahinta ee barnaamijka.",
        "Qoraal-hoosaad af-Soomaali ah",
    ),
    "fr": (
        "Ceci est un extrait de démonstration pour {town}, {country}.",
        f"Il remplace un film de la série «\u00a0{SERIES}\u00a0».",
        "Le vrai film est importé depuis le pack média du programme.",
        "Sous-titres en français",
    ),
}


def country_name(code: str, language: str) -> str:
    """The country (or "EU") as a reader of ``language`` names it, from Babel's CLDR data."""
    names = babel.Locale.parse(language).territories
    return names.get(code) or babel.Locale("en").territories.get(code) or code


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


#: Bump when the picture of the clips changes, so existing demo packs are rebuilt.
CLIP_LAYOUT = 2


def subtitle_text(film: Film, language: str, seconds: float) -> str:
    """An SRT track whose cues share the clip evenly, with half a second of silence around each."""
    lines = _CUES[language]
    slot = seconds / len(lines)
    fill = {"town": film.town_name(language), "country": country_name(film.country, language)}
    # A right-to-left mark first, or libVLC lays an Arabic line out left to right and the
    # full stop lands at the wrong end.
    mark = RLM if is_rtl(language) else ""
    cues = [
        f"{i + 1}\n{_srt_time(i * slot + 0.5)} --> {_srt_time((i + 1) * slot - 0.5)}\n{mark}{line.format(**fill)}\n"
        for i, line in enumerate(lines)
    ]
    return "\n".join(cues)


def _ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if not found:
        raise DemoMediaError(
            sentence(N_("Cannot build the demo media pack: the ffmpeg program was not found; install it (for example "
                        "with 'apt-get install ffmpeg') and try again."))
        )
    return found


def _ffmpeg_command(ffmpeg: str, film: Film, index: int, seconds: float, output: Path) -> list[str]:
    """The command for one clip.  Texts are read from files in ffmpeg's working folder,
    so town names with quotes, colons or diacritics need no filter-graph escaping."""
    colour, tone = _COLOURS[index % len(_COLOURS)], _TONES[index % len(_TONES)]
    base = "drawtext=font='DejaVu Sans':fontcolor=white:x=(w-text_w)/2"
    # The clock at the top: the bottom fifth of the picture belongs to the subtitles.
    layout = (("clock", 26, 0.05), ("town", 56, 0.20), ("country", 32, 0.38), ("demo", 22, 0.54), ("series", 22, 0.64))
    video = ",".join(f"{base}:textfile={name}.txt:fontsize={size}:y=h*{y}" for name, size, y in layout)
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c={colour}:s=640x360:r=25:d={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={tone}:sample_rate=44100:duration={seconds}",
        "-vf", video, "-af", "volume=0.3",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-t", str(seconds), "-movflags", "+faststart",
        "-f", "mp4", str(output),
    ]  # fmt: skip


def _build_clip(ffmpeg: str, film: Film, index: int, seconds: float, target: Path) -> None:
    """Encode one clip under a temporary name and rename it into place only when complete,
    so an interrupted or failed run never leaves a truncated file under the film's name."""
    partial = target.with_name(f".{target.name}.partial")
    texts = {"town": film.town, "country": country_name(film.country, "en"), "series": SERIES,
             "demo": "DEMO CLIP — placeholder, not the real film", "clock": "%{pts:hms}"}  # running clock
    try:
        with tempfile.TemporaryDirectory(prefix="co-demo-") as work:
            for name, text in texts.items():
                Path(work, f"{name}.txt").write_text(text, encoding="utf-8")
            command = _ffmpeg_command(ffmpeg, film, index, seconds, partial.resolve())
            try:
                done = subprocess.run(command, cwd=work, capture_output=True, text=True, errors="replace")
            except OSError as exc:
                raise DemoMediaError(sentence(N_("Cannot run ffmpeg ({ffmpeg}) for {name}: {reason}."),
                                              ffmpeg=ffmpeg, name=target.name, reason=exc.strerror or exc)) from exc
        if done.returncode != 0 or not partial.is_file():
            last = next((ln.strip() for ln in reversed(done.stderr.splitlines()) if ln.strip()), "")
            last = last or f"it stopped with exit status {done.returncode} and no message (interrupted?)"
            raise DemoMediaError(sentence(N_("ffmpeg could not make the demo clip {target}: {last}"),
                                          target=target, last=last))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_marker(folder: Path) -> dict[str, dict[str, Any]]:
    """The films recorded in the folder's marker; an unreadable marker counts as empty."""
    try:
        data = json.loads((folder / DEMO_MARKER_NAME).read_text(encoding="utf-8"))
        films = data["films"] if data.get("format") == MARKER_FORMAT else {}
        return {k: v for k, v in films.items() if isinstance(v, dict)}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _write_marker(folder: Path, films: dict[str, dict[str, Any]]) -> None:
    data = {"format": MARKER_FORMAT, "generator": "co_app demo pack", "films": dict(sorted(films.items()))}
    try:
        atomic_write_text(folder / DEMO_MARKER_NAME, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise DemoMediaError(sentence(N_("Cannot write {file}: {reason}."),
                                      file=folder / DEMO_MARKER_NAME, reason=exc.strerror or exc)) from exc


def _plan(out_dir: Path, film: Film, entry: dict[str, Any] | None, seconds: float, force: bool) -> str:
    """'build', 'keep' (our clip, unchanged) or 'foreign' (a real film is there: hands off).

    A real film imported over a demo clip takes the clip's name, so a file that does not
    match the marker exactly is never overwritten, nor are its subtitles, even with ``force``."""
    target = out_dir / f"{film.id}.mp4"
    if any((out_dir / f"{film.id}{ext}").is_file() for ext in VIDEO_EXTENSIONS if ext != ".mp4"):
        return "foreign"
    if not target.is_file():
        return "build"
    if entry and target.stat().st_size == entry.get("size") and _sha256(target) == entry.get("sha256"):
        outdated = entry.get("seconds", seconds) != seconds or entry.get("layout", 1) != CLIP_LAYOUT
        return "build" if force or outdated else "keep"
    return "foreign"


def _build_in_parallel(ffmpeg: str, films: list[Film], todo: list[int], seconds: float, out_dir: Path,
                       finish: Callable[[int], None]) -> None:
    """Encode the clips of ``todo`` on worker threads; ``finish(i)`` runs on this thread as
    each one is done.  On an error the clips not yet started are cancelled."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 2))) as pool:
        jobs = {pool.submit(_build_clip, ffmpeg, films[i], i, seconds, out_dir / f"{films[i].id}.mp4"): i
                for i in todo}
        try:
            for job in as_completed(jobs):
                job.result()
                finish(jobs[job])
        except BaseException:
            for job in jobs:
                job.cancel()
            raise


def build_demo_pack(
    out_dir: Path,
    manifest: Manifest | None = None,
    *,
    seconds: float = 12.0,
    progress: Callable[[int, int, str], None] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write a demo clip and subtitles (SUBTITLE_LANGUAGES) for every film into ``out_dir``.

    Clips recorded in the marker with the same size and checksum are kept unless ``force``
    (re-running setup is then nearly instant); their subtitles are rewritten.  A film whose
    file is not one of our clips (a real film) is left alone and not returned.  Clips are encoded in parallel, since one
    ffmpeg run of this size barely uses a second core.  ``progress(done, total, film_id)``
    is called from the calling thread after each film.  Returns the demo clips, in
    manifest order.
    """
    if seconds < MIN_SECONDS:
        raise DemoMediaError(sentence(N_("A demo clip must last at least {minimum:g} seconds, not {seconds:g}."),
                                      minimum=MIN_SECONDS, seconds=seconds))
    manifest = manifest or load_manifest()
    out_dir = Path(out_dir)
    try:
        make_private_dirs(out_dir)
    except OSError as exc:
        raise DemoMediaError(sentence(N_("Cannot create the demo media folder {out_dir}: {reason}."),
                                      out_dir=out_dir, reason=exc.strerror or exc)) from exc
    recorded = read_marker(out_dir)
    marker = {k: v for k, v in recorded.items() if (out_dir / str(v.get("file", ""))).is_file()}
    films = list(manifest.films)
    plan = [_plan(out_dir, film, recorded.get(film.id), seconds, force) for film in films]
    todo = [i for i, action in enumerate(plan) if action == "build"]
    ffmpeg = _ffmpeg() if todo else ""
    done = 0

    def finish(i: int) -> None:
        nonlocal done
        film, target = films[i], out_dir / f"{films[i].id}.mp4"
        if plan[i] == "foreign":
            marker.pop(film.id, None)
        else:
            for lang in SUBTITLE_LANGUAGES:
                atomic_write_text(out_dir / f"{film.id}.{lang}.srt", subtitle_text(film, lang, seconds))
        if plan[i] == "build":  # recorded at once: an interrupted run resumes, not restarts
            size, sha = target.stat().st_size, _sha256(target)
            marker[film.id] = {"file": target.name, "size": size, "sha256": sha, "seconds": seconds,
                               "layout": CLIP_LAYOUT}
            _write_marker(out_dir, marker)
        done += 1
        if progress:
            progress(done, len(films), film.id)

    try:
        for i in (i for i in range(len(films)) if plan[i] != "build"):
            finish(i)
        _build_in_parallel(ffmpeg, films, todo, seconds, out_dir, finish)
    except OSError as exc:
        raise DemoMediaError(sentence(N_("Cannot write the demo media pack in {out_dir}: {reason}."),
                                      out_dir=out_dir, reason=exc.strerror or exc)) from exc
    _write_marker(out_dir, marker)
    return [out_dir / f"{f.id}.mp4" for f, action in zip(films, plan) if action != "foreign"]


def is_demo_clip(path: Path) -> bool:
    """True when ``path`` is a clip recorded in its folder's demo marker with the same size.

    Only the size is compared (no hashing), so the library can ask this for every film
    on every scan; a real film replacing a demo clip will practically never match it."""
    path = Path(path)
    for entry in read_marker(path.parent).values():
        if entry.get("file") == path.name:
            try:
                return path.is_file() and path.stat().st_size == entry.get("size")
            except OSError:
                return False
    return False
