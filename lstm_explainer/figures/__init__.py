"""The site's figures, each with alt text and the table of its numbers.

Each *page module* here (one with a ``FIGURES`` list of `lstm_explainer.figures.base.FigureSpec`)
draws the figures of one page or part of one, and may offer ``TABLES`` and ``NUMBERS`` for
the prose; `lstm_explainer.sitegen.pages` collects them. Two kits serve them all: ``base``
(the figure spec, themes, SVG output) and ``grid`` (annotated heatmaps). A page module
imports the kits, never another page module.
"""
