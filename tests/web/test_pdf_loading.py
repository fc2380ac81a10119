"""WeasyPrint is imported once, by whichever request asks for a PDF first; the others wait.

Python puts a module in ``sys.modules`` before running it, and WeasyPrint's ``__init__``
defines ``HTML`` long before it imports the code that writes a document. A second request
that took a half-imported module for a loaded one failed with a 500 (seen when three deck
PDFs were asked for at once on a fresh server)."""

import sys
import threading
import types

from consult.web.plumbing import pdf


def test_a_half_imported_weasyprint_is_waited_for_not_used(monkeypatch):
    monkeypatch.setattr(pdf, "_loaded", None)  # as in a fresh server, whatever ran before
    half = types.ModuleType("weasyprint")
    half.HTML = object  # what another thread's import has reached so far
    got: list = []
    with pdf._IMPORTING:  # that other thread is importing
        monkeypatch.setitem(sys.modules, "weasyprint", half)
        waiting = threading.Thread(target=lambda: got.append(pdf.load_weasyprint()))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive(), "a half-imported WeasyPrint was handed out"
        monkeypatch.delitem(sys.modules, "weasyprint")  # the import finishes: the real one
    waiting.join(timeout=60)
    assert got and got[0] is not half and hasattr(got[0], "Document")
