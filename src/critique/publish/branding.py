"""The organisation's name and logo: optional on every output, and kept out of file metadata.

Some readers live where the network publishing a briefing has been declared "undesirable": a file
found on a phone must not name the organisation in places a reader does not see (PDF author, HTML
``<meta>``, image metadata). So by default nothing names it. A parameter set may ask for it::

    organisation:
      name: "Our network"        # shown on the index and the community summary
      logo: path/to/logo.png     # shown beside it; re-encoded without any metadata (EXIF, text chunks)
      in_metadata: false         # true: also the PDF's author field (off unless asked for)

Errors are one line naming the file and the field.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from critique.core.errors import ParameterError


@dataclass(frozen=True)
class Branding:
    """Who publishes, and where it may be said. The default names no one."""

    name: str = ""
    logo: Path | None = None
    in_metadata: bool = False

    @property
    def metadata_author(self) -> list[str]:
        """The PDF author field: the name only when asked for, else empty."""
        return [self.name] if self.name and self.in_metadata else []


NONE = Branding()
_active: Branding = NONE


def of_set(params_file: Path) -> Branding:
    """The ``organisation`` block of a parameter set (no block: :data:`NONE`)."""
    try:
        raw = yaml.safe_load(Path(params_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return NONE  # the parameter-set reader reports a broken file in its own words
    block = raw.get("organisation") if isinstance(raw, dict) else None
    if block in (None, ""):
        return NONE
    if not isinstance(block, dict) or set(block) - {"name", "logo", "in_metadata"}:
        raise ParameterError(f"{params_file}: organisation: expected a mapping with name, logo, in_metadata")
    logo = block.get("logo")
    if logo:
        logo = (Path(params_file).parent / str(logo)).resolve() if not Path(str(logo)).is_absolute() else Path(str(logo))
        if not logo.is_file():
            raise ParameterError(f"{params_file}: organisation: logo {logo} not found")
    in_meta = block.get("in_metadata", False)
    if not isinstance(in_meta, bool):
        raise ParameterError(f"{params_file}: organisation: in_metadata must be true or false, not {in_meta!r}")
    return Branding(str(block.get("name") or ""), logo or None, in_meta)


def active() -> Branding:
    """The branding of the build under way (:data:`NONE` outside one)."""
    return _active


@contextlib.contextmanager
def using(branding: Branding) -> Iterator[Branding]:
    """``branding`` is the active one inside the block."""
    global _active
    before, _active = _active, branding
    try:
        yield branding
    finally:
        _active = before


def clean_logo(branding: Branding, out_dir: Path) -> Path | None:
    """The logo re-encoded as ``out_dir/logo.png`` with no metadata (pixels only); None without one."""
    if branding.logo is None:
        return None
    from PIL import Image

    with Image.open(branding.logo) as img:
        pixels = img.convert("RGBA")
    clean = Image.frombytes("RGBA", pixels.size, pixels.tobytes())  # pixels only: no EXIF, text or ICC
    target = Path(out_dir) / "logo.png"
    clean.save(target, format="PNG")
    return target


def header_html() -> str:
    """The organisation's name and logo (``logo.png`` beside the index, see :func:`clean_logo`) at
    the top of the index, or nothing."""
    import html

    b = active()
    if not b.name and b.logo is None:
        return ""
    img = ('<img src="logo.png" alt="" style="height:2.5em;vertical-align:middle;margin-right:.5em">'
           if b.logo is not None else "")
    return f'<p class="organisation">{img}{html.escape(b.name)}</p>'
