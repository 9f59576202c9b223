"""``fixlint report``: the audit of a suite, in the shape of the hand-written audit that started the
project, built from one check run's findings: an executive summary, per file a status and the
five checks, common issues and the fixes in order. ``audit.py`` builds it, ``markdown.py`` and
``html.py`` write it."""
