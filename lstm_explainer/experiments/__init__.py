"""Experiments for the "Going further" pages: real cells trained and measured at build time.

Each experiment module runs *jobs* (one training run, one measurement) through
`lstm_explainer.experiments.cache.run_jobs`, which keeps each job's result on disk, keyed by
a hash of the code that computes it and of its settings: a rebuild with nothing changed
trains nothing, and a change retrains only the jobs it affects. Drawing and prose live in
`lstm_explainer.figures`, never here.

``python -m lstm_explainer.experiments`` runs them all and prints the time of each.
"""
