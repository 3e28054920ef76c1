"""An evaluation kit, not product logic: the product never imports it.

A population generator written apart from ``integrity/synth.py`` and from the
engines, from how real registrations vary (hypocorisms, compound surnames,
swapped fields, date slips, transliterations, addresses as people write
them), so the engines are measured on data they were not tuned to produce.
``bench/bench_evaluation.py`` prints the full tables; a small sample runs in
``make test``.
"""
