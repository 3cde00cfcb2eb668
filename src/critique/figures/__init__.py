"""Chart-drawing functions, one a chart: data or a result object in, a matplotlib Figure out.

Each module is named for the analysis it draws (``figures.mse``, ``figures.coverage``...). A function
here never saves: the notebook passes its figure to :func:`critique.figures.charts.finalise`, the only way a
chart leaves the suite (title, source, caveats, N, and the numbers behind it as CSV).
"""
