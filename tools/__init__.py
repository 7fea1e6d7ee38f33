"""The course's own tools, run from the repository root as ``python -m tools.<name>``.

- ``tools.execute_lessons``: the lessons executed into ``build/executed/<mode>/`` for the site;
- ``tools.build_site``: the course website from those executed copies (``./course site``);
- ``tools.results``: the results page, the lab timings, the README's results block, the commit
  of a full run (``./course results``);
- ``tools.spread``: lessons run under several seeds and backends (``./course spread``);
- ``tools.handout``: the student and instructor editions (``./course handout``);
- ``tools.course_links``: ``./course set-repo`` and ``./course release`` (standard library only);
- ``tools.lock``: requirements-lock.txt (``./course lock``);
- ``tools.nbval_checks``: the pytest plugin the lessons run under (the root conftest.py loads it);
- ``tools.lessons``: the lesson files and the backends a lesson runs on.

The results rows and the executed copies belong to ``aehelpers.results``; the tools call it.
This package imports nothing itself, so ``python -m tools.course_links`` runs on a bare Python.
"""
