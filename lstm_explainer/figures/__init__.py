"""The site's figures, each with alt text and the table of its numbers.

Each *page module* here (one with a ``FIGURES`` list of `lstm_explainer.figures.base.FigureSpec`)
draws the figures of one page or part of one, and may offer ``TABLES`` and ``NUMBERS`` for
the prose; `lstm_explainer.sitegen.pages` collects them. Kits serve them: ``base`` (the
figure spec, themes, SVG output), ``grid`` (annotated heatmaps) and ``cell_heatmap`` (the
France cell unit by unit, for the walkthrough's and the what-ifs' figures). A page module
imports the kits, never another page module.
"""
