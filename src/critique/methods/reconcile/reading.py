"""Reading sentences of the reconciliation page, generated from the evaluated ledger by fixed rules.

Each function takes the frame of :func:`critique.methods.reconcile.ledger.evaluate` (or the FBI comparison)
and returns one sentence. Only figures read in a stored source (``primary`` or ``secondary``) count
towards a sentence; unverified rows are counted apart and never named as established.
"""
from __future__ import annotations

import pandas as pd

from critique.methods.reconcile import classify as cl
from critique.core.i18n import _

ESTABLISHED = ("primary", "secondary")


def established(table: pd.DataFrame) -> pd.DataFrame:
    """Rows whose printed figure was read in a stored source (primary or secondary)."""
    return table.loc[table["verification"].isin(ESTABLISHED)]


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """Established rows per verdict, every verdict of :data:`classify.VERDICTS` present (0 if none)."""
    counts = established(table)["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in cl.VERDICTS}


def summary_sentence(table: pd.DataFrame) -> str:
    """'Of N printed figures from P publishers (read in stored sources), ...' with every verdict.

    Qualified as the numbers require: agreements that are only across definitions are counted
    apart; revisions of figures read in a copy say a copying error would look the same; the
    one-country verdicts name each (country, release) and say "at least half" of the gap.
    """
    est = established(table)
    c = verdict_counts(table)
    unverified = int((table["verification"] == "unverified").sum())
    across_def = est["across_definitions"].astype(bool)
    across = int((est["verdict"].eq(cl.DEFINITION) & across_def).sum())
    equal_across = int((est["verdict"].eq(cl.EQUAL) & across_def).sum())
    equal = _("{n} agree within the printed rounding", n=c[cl.EQUAL])
    if equal_across:
        equal += _(" ({n} of them only when compared across definitions)", n=equal_across)
    definition = _("{n} differ by definition", n=c[cl.DEFINITION])
    if c[cl.DEFINITION]:
        definition += _(" ({recomputed} recomputed under the publisher's definition, {across} compared across "
                        "definitions)", recomputed=c[cl.DEFINITION] - across, across=across)
    revised = _("{n} match another edition or data release of the publisher, not the one printed", n=c[cl.REVISED])
    copied = int((est["verdict"].eq(cl.REVISED) & est["verification"].ne("primary")).sum())
    if copied:
        revised += _(" ({n} of them read in a copy, where a copying error would look the same as a revision)", n=copied)
    one = _("{n} differ mostly because of one country", n=c[cl.ONE_COUNTRY])
    if c[cl.ONE_COUNTRY]:
        rows = est.loc[est["verdict"] == cl.ONE_COUNTRY]
        who = rows.groupby(["mover", "recount_source"], sort=False).size()
        one += _(" (leaving it out closes at least half of the gap, not necessarily all: {who})",
                 who="; ".join(_("{country} in {release}, {n}", country=m, release=r, n=n) for (m, r), n in who.items()))
    parts = [equal, definition, revised, one, _("{n} are unexplained", n=c[cl.UNEXPLAINED])]
    if c[cl.NOT_RECOMPUTED]:
        parts.append(_("{n} could not be recomputed from the data this edition reads", n=c[cl.NOT_RECOMPUTED]))
    # one template per English form (the catalogue's fill takes single messages; each language words both)
    tail = ("" if not unverified else
            _(" ({n} further figure not yet verified in a stored source are listed apart)", n=unverified)
            if unverified == 1 else
            _(" ({n} further figures not yet verified in a stored source are listed apart)", n=unverified))
    return _("Of {n} printed figures from {publishers} publishers, read in stored sources, {parts}{tail}.",
             n=len(est), publishers=est['publisher'].nunique(),
             parts=_("{first} and {last}", first=", ".join(parts[:-1]), last=parts[-1]), tail=tail)


def top_mover(table: pd.DataFrame) -> tuple[str, str] | None:
    """(country, release) of the established "driven by one country" rows that share both most often
    (ties: first in the ledger); None when no row has that verdict."""
    rows = established(table)
    rows = rows.loc[rows["verdict"] == cl.ONE_COUNTRY]
    if rows.empty:
        return None
    sizes = rows.groupby(["mover", "recount_source"], sort=False).size()
    return tuple(sizes.idxmax())  # type: ignore[return-value]


def one_country_sentence(table: pd.DataFrame) -> str:
    """Name the country that drives the most figures, the release and one example with and without it.

    Rule: among established rows with verdict "driven by one country", the (country, release) pair
    with the most rows (ties: first in the ledger); the example is its share row (unit percent)
    with the largest gap, or its row with the largest gap when it has no share row. No such row: a
    sentence saying so.
    """
    top = top_mover(table)
    if top is None:
        return _("No printed figure compared here is driven by one country under the suite's rule.")
    country, release = top
    rows = established(table)
    group = rows.loc[(rows["verdict"] == cl.ONE_COUNTRY) & (rows["mover"] == country) & (rows["recount_source"] == release)]
    k = len(group)
    shares = group.loc[group["unit"] == "percent"]
    pick = shares if len(shares) else group
    ex = pick.loc[pick["gap"].abs().idxmax()]
    without = cl.fmt_bounds(_bounds(ex["without_low"], ex["without_high"]), ex["unit"])
    when = "" if str(ex["data_year"]) in str(ex["figure"]) else f" ({ex['data_year']})"
    n = int((rows["recount_source"] == release).sum())
    left = ""
    if {"printed_low", "printed_high"} <= set(ex.index):
        g_wo = cl.gap((float(ex["printed_low"]), float(ex["printed_high"])), float(ex["without_low"]),
                      float(ex["without_high"]))
        if g_wo != 0:
            left = _("; even without it the recount is {size} from the printed figure", size=cl._size(g_wo, ex["unit"]))
    return _("In the release {release}, leaving out {country} closes at least half the gap between the recount and "
             "the printed figure for {k} of the {n} figures recounted on that release: {figure}{when} is {recount} "
             "with {country} and {without} without it, against {printed} printed ({document}){left}.",
             release=release, country=country, k=k, n=n, figure=ex['figure'], when=when, recount=ex['recount'],
             without=without, printed=ex['published_text'], document=ex['document'], left=left)


def correction_note(table: pd.DataFrame, register: pd.DataFrame | None) -> str:
    """A sentence pointing to the corrections register when it holds an entry for the country and
    release of :func:`top_mover` ("" when there is none, or no register).

    Rule: an entry matches when its ``dataset`` is the release or its source (the part before
    ``@``), its ``iso3`` (``|``-separated) holds the country's code and its ``action`` is not
    ``exclude`` (excluded rows are already out of every recount, so they cannot move it).
    """
    top = top_mover(table)
    if top is None or register is None or not len(register):
        return ""
    country, release = top
    rows = established(table)
    codes = rows.loc[(rows["mover"] == country) & (rows["recount_source"] == release), "mover_code"].dropna()
    if codes.empty:
        return ""
    code, source = str(codes.iloc[0]), release.split("@")[0]
    hits = register.loc[register["dataset"].astype(str).isin([release, source])
                        & register["iso3"].fillna("").astype(str).str.split("|").apply(lambda c: code in c)
                        & register.get("action", pd.Series("", index=register.index)).ne("exclude")]
    if hits.empty:
        return ""
    parts = [f"{r['status']} ({r['id']})" for _, r in hits.iterrows()]
    if len(hits) == 1:
        return _("The corrections register lists {n} entry for {country} in {release}: {entries}; read this verdict "
                 "with it (section 6).", n=len(hits), country=country, release=release, entries=", ".join(parts))
    return _("The corrections register lists {n} entries for {country} in {release}: {entries}; read this verdict "
             "with them (section 6).", n=len(hits), country=country, release=release, entries=", ".join(parts))


def influence_chart_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The printed shares (unit percent) moved most by the :func:`top_mover` country in its release,
    for the with-and-without chart: figure, printed and recount bounds, bounds without it."""
    top = top_mover(table)
    cols = ["figure", "data_year", "published_text", "printed_low", "printed_high", "recount_low", "recount_high",
            "without_low", "without_high", "mover", "recount_source", "verdict"]
    if top is None:
        return pd.DataFrame(columns=cols)
    rows = established(table)
    rows = rows.loc[(rows["mover"] == top[0]) & (rows["recount_source"] == top[1]) & (rows["unit"] == "percent")]
    return rows[cols].reset_index(drop=True)


def _score(rows: pd.DataFrame) -> pd.Series:
    """Size of a gap for ranking: points for shares and changes, percent of the printed figure for
    counts (0 for a printed 0, which has no relative size)."""
    pub = rows["published_value"].abs()
    rel = (100 * rows["gap"].abs() / pub.where(pub > 0)).fillna(0.0)
    return rows["gap"].abs().where(rows["unit"] != "count", rel)


def unexplained_sentence(table: pd.DataFrame) -> str:
    """The established unexplained differences by publisher: how many, and the largest of each.

    Largest: :func:`_score` (points for shares and changes, percent of the printed figure for
    counts). No unexplained row: a sentence saying so.
    """
    rows = established(table)
    rows = rows.loc[rows["verdict"] == cl.UNEXPLAINED]
    if rows.empty:
        return _("No difference between a printed figure and its recount is left unexplained.")
    rows = rows.assign(score=_score(rows))
    parts = []
    for pub, g in sorted(rows.groupby("publisher"), key=lambda kv: -len(kv[1])):
        top = g.loc[g["score"].idxmax()]
        when = "" if str(top["data_year"]) in str(top["figure"]) else f", {top['data_year']}"
        parts.append(_("{publisher} {n} (largest: {figure}{when}: printed {printed}, recount {recount})",
                       publisher=pub, n=len(g), figure=top['figure'], when=when, printed=top['published_text'],
                       recount=top['recount']))
    return _("{n} differences are unexplained: {parts}.", n=len(rows), parts="; ".join(parts))


def _bounds(lo: float, hi: float):
    from critique.methods.reconcile.recount import Recount

    return Recount(float(lo), float(hi), 0)
