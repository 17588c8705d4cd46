"""A CJK font for chart labels: an installed system font first, else the one fcfinance ships.

Lookup order (:data:`PREFERRED`), first installed family wins:

1. Windows: Microsoft YaHei (微软雅黑), SimHei (黑体);
2. macOS: PingFang SC (苹方), Hiragino Sans GB (冬青黑体), Heiti SC, STHeiti;
3. Linux: Noto Sans CJK SC, Source Han Sans SC / CN (思源黑体), Noto Sans SC,
   WenQuanYi Micro Hei / Zen Hei (文泉驿);
4. otherwise Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package, a
   dependency of fcfinance (SIL Open Font License 1.1), so that one
   ``pip install`` is enough on a machine without CJK fonts.

That package ships a font collection whose first face is the Japanese one;
matplotlib reads only the first face of a collection, so the Simplified
Chinese face is copied once into matplotlib's cache folder
(``fcfinance-fonts/``) and registered from there.  Should that fail, the
collection is registered as it is (the same glyphs, Japanese forms for a
few characters).

"Installed" means known to matplotlib's font manager, which is what it can
draw with.  The choice is made once, when the first chart is drawn
(:func:`chosen_font`), not when the module is imported, and changes no
global setting: each chart names the family, with DejaVu Sans (matplotlib's
own) behind it for any symbol the CJK font lacks, in its own style context.
:func:`setup_fonts` (for a notebook's own plots) puts the chosen family
first in the global ``font.sans-serif`` and ``font.family`` and turns
``axes.unicode_minus`` off (a plain hyphen for negative numbers).
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

PREFERRED: tuple[str, ...] = (
    # Windows
    "Microsoft YaHei", "SimHei",
    # macOS
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
    # Linux (fonts-noto-cjk, Source Han Sans, Google Fonts' Noto Sans SC, WenQuanYi)
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
)
"""CJK families tried in order, before the shipped font."""

BUNDLED_PACKAGE = "noto-cjk-sans-otc"
"""The PyPI package that ships the fallback font (SIL OFL 1.1)."""

BUNDLED_FAMILY = "Noto Sans CJK SC"
BUNDLED_FACE = 2
"""Index of the Simplified Chinese face in ``NotoSansCJK-Regular.ttc`` (JP, KR, SC, TC, HK, …)."""

LATIN_FALLBACK = "DejaVu Sans"


@dataclass(frozen=True)
class FontChoice:
    """The family used for chart text.

    Attributes
    ----------
    family : str
        Family name as matplotlib knows it.
    source : {'system', 'bundled'}
        An installed font, or the one shipped by :data:`BUNDLED_PACKAGE`.
    path : str or None
        The file registered for a bundled font.
    """

    family: str
    source: str
    path: str | None = None

    def describe(self) -> str:
        """One line for provenance: ``Microsoft YaHei (system)``."""
        return f"{self.family} ({'system' if self.source == 'system' else BUNDLED_PACKAGE})"


def installed_families() -> set[str]:
    """Font families matplotlib's font manager knows (system fonts and added ones)."""
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


def choose_family(installed: set[str] | list[str]) -> str | None:
    """The first of :data:`PREFERRED` among ``installed`` (None when there is none)."""
    names = set(installed)
    for family in PREFERRED:
        if family in names:
            return family
    return None


def _bundled_collection() -> Path:
    """Path of the font collection shipped by :data:`BUNDLED_PACKAGE`."""
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


def _version_of_bundle() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(BUNDLED_PACKAGE)
    except PackageNotFoundError:  # pragma: no cover - installed from source without metadata
        return "0"


def bundled_font_file() -> Path:
    """The Simplified Chinese face of the shipped collection as a single font file.

    Copied once into matplotlib's cache folder (raw tables, no re-encoding,
    written to a temporary name and renamed, so concurrent processes do not
    see half a file).  Falls back to the collection itself when the copy
    cannot be made.
    """
    import matplotlib

    collection = _bundled_collection()
    target = (Path(matplotlib.get_cachedir()) / "fcfinance-fonts"
              / f"NotoSansCJKsc-Regular-{_version_of_bundle()}.otf")
    if target.is_file() and target.stat().st_size > 0:
        return target
    try:
        from fontTools.ttLib import TTFont

        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".otf", dir=target.parent)
        os.close(fd)
        try:
            with TTFont(str(collection), fontNumber=BUNDLED_FACE, lazy=True) as face:
                face.save(tmp, reorderTables=False)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target
    except Exception:  # read-only cache, missing fontTools, …: the collection still draws
        return collection


def select_font() -> FontChoice:
    """The CJK family to use: an installed one of :data:`PREFERRED`, else the shipped font.

    Registers the shipped font with matplotlib's font manager when it is needed.
    """
    family = choose_family(installed_families())
    if family is not None:
        return FontChoice(family, "system")
    from matplotlib import font_manager

    path = bundled_font_file()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return FontChoice(name, "bundled", str(path))


_CHOICE: FontChoice | None = None
_CHOICE_LOCK = threading.Lock()


def chosen_font(force: bool = False) -> FontChoice:
    """Choose the CJK font once (thread-safe) without touching matplotlib's settings.

    The charts use it through :func:`font_families` inside their own style
    context; nothing global changes except the font manager learning the
    shipped font.

    Parameters
    ----------
    force : bool
        Look again even if a font was chosen before (after installing one).
    """
    global _CHOICE
    with _CHOICE_LOCK:
        if _CHOICE is None or force:
            _CHOICE = select_font()
        return _CHOICE


def setup_fonts(force: bool = False) -> FontChoice:
    """Make the CJK font matplotlib's default sans-serif, for a notebook's own plots.

    The hearing-pack charts do not need this (they set their fonts per
    figure); call it to draw Chinese text in charts of your own.  It puts the
    chosen family first in ``font.sans-serif`` and ``font.family`` and turns
    ``axes.unicode_minus`` off — global settings, changed only when called.

    Parameters
    ----------
    force : bool
        Look again even if a font was chosen before (after installing one).

    Returns
    -------
    FontChoice
    """
    import matplotlib

    choice = chosen_font(force)
    rc = matplotlib.rcParams
    rest = [f for f in rc["font.sans-serif"] if f not in (choice.family, LATIN_FALLBACK)]
    rc["font.sans-serif"] = [choice.family, LATIN_FALLBACK] + rest
    rc["font.family"] = "sans-serif"
    rc["axes.unicode_minus"] = False
    return choice


def font_families() -> list[str]:
    """Concrete family list for chart text: the CJK font, then DejaVu Sans for stray symbols."""
    return [chosen_font().family, LATIN_FALLBACK]
