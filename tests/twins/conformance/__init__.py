"""Running schemathesis, with all its checks, against served twins (test_conformance.py).

settings: what one run covers (Target, Bounds, Exclusion); corpus: which specs, how much of
each, and the exclusions with their reasons; runner: `st run` and its report; toml: writing
the run's schemathesis.toml.
"""
