"""The fast path of the per-file pass: the facts of ``fixlint.extraction``, read off CPython's
``ast`` instead of a LibCST tree. ``ast`` parses about ten times faster and its tree is smaller;
LibCST stays the judge of what ``ast`` refuses (syntax newer than this interpreter's, errors).
Both paths give the same ``FileFacts``: ``tests/test_fast_extraction.py`` compares them."""
