"""What-if pages: self-contained HTML pages on which a workshop moves an assumption and watches the
headline and its chart move, from ``file://`` with no network and no Python (issue #27).

One module a page, each page a SCENARIO (labelled so at the top of the page, which stays in view while
scrolling), each module with ``write_page(out_root)``; :mod:`.page` holds what they share.

- :mod:`.raid` (notebook 20): raid share x raid false-positive rate -> the TIP "victims identified" count
  that would remain.
- :mod:`.detection` (notebook 11): a detected share and a relative detection rate -> the implied true share.
- :mod:`.composite` (notebook 32): the weight of each indicator -> a country's rank on the composite.
- :mod:`.mse` (notebook 40): people added to or removed from one list-only cell -> the MSE total, looked up
  in the grid :func:`critique.methods.mse.sensitivity.false_positives` computed (no arithmetic in the page).

The numbers come from a finished run: each page reads its notebook's ``findings.json`` (counts, the
evidence-based ranges, the inputs and their releases) and the notebook's parameter defaults, so a page
shows the same run as the briefing beside it.

**Why Bokeh standalone.** Bokeh (``bokeh.embed.components`` with ``bokeh.resources.INLINE``) writes
its whole JavaScript library into the page, so the page needs no CDN and no server; its widgets
(sliders, spinners, buttons) and ``CustomJS`` callbacks run in the browser alone. It is a NumFOCUS
project, released regularly, and on PyPI and conda-forge. Altair/Vega-Lite can inline its assets too,
but a derived headline sentence and linked number inputs are more direct with Bokeh widgets.

Where the page computes, its arithmetic is the package's closed form ported to JavaScript (``*_JS``
below, in a plain function ``whatifCompute``), so it can be tested against the Python function:
``tests/test_whatif.py`` loads each page in headless Chromium with control values given in the URL
hash (``#raid_share=0.3&fpr=0.5``; the page sets its controls from it, which runs the same callback
as moving a control) and compares the printed headline with the package's value, printed alike;
one test also types into a control through the Chrome DevTools protocol.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from critique.core.errors import ParameterError
from critique.publish.whatif import composite, detection, mse, raid

PAGES = (raid, detection, composite, mse)


def write_pages(out_root: Path) -> list[tuple[str, str]]:
    """Write the what-if pages whose notebook has a finished run under ``out_root`` into
    ``out_root/whatif/``. Returns ``[(title, path relative to out_root)]`` for the index. A page
    whose run lacks a key or holds a bad value is skipped with a warning naming it (the index and
    the other pages are still written)."""
    made = []
    for module in PAGES:
        try:
            made += module.write_page(out_root)
        except (KeyError, ValueError, TypeError, ParameterError) as err:
            name = module.__name__.rpartition(".")[2]
            warnings.warn(f"what-if page {name!r} not written: {type(err).__name__}: {err}", stacklevel=2)
    return made
