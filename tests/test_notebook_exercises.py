"""The notebooks' exercises: each lesson 01-08 holds unanswered coding stubs that its checks
answer "not yet", every exercise the package knows is asked somewhere, no solution is shown."""
import re
from pathlib import Path

import nbformat
import pytest

from gan_course import coding_exercises, exercises

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9]*.ipynb"))
CHECK_CODE = re.compile(r'exercises\.check_code\("([0-9]{2}\.\w+)", (\w+)\)')
CHECK = re.compile(r'exercises\.check\("([0-9]{2}\.[0-9]+)", ')


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def output_text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def asked(pattern):
    """{exercise name: lesson file} for every call matching `pattern` in the notebooks."""
    return {m.group(1): path.name for path in NOTEBOOKS for c in code_cells(path) for m in pattern.finditer(c.source)}


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "01" <= p.name[:2] <= "08"], ids=lambda p: p.name)
def test_lesson_holds_at_least_two_unanswered_coding_exercises(path):
    stubs = [c for c in code_cells(path) if CHECK_CODE.search(c.source)]
    assert len(stubs) >= 2
    for cell in stubs:
        name, function = CHECK_CODE.search(cell.source).groups()
        assert name.startswith(path.name[:2] + "."), f"{name} is asked in {path.name}"
        # the stub as the package makes it, so the notebook cannot drift from its checker
        assert cell.source == coding_exercises.stub(name) + f'\n\nexercises.check_code("{name}", {function})'
        assert f"Exercise {name}: not yet written" in output_text(cell)
        assert [o["output_type"] for o in cell.outputs] == ["stream"] and output_text(cell).count("\n") == 1, \
            "the cell prints its one verdict line and shows no value"


def test_every_exercise_is_asked_once_and_no_solution_is_shown():
    coding = [m.group(1) for p in NOTEBOOKS for c in code_cells(p) for m in CHECK_CODE.finditer(c.source)]
    assert sorted(coding) == sorted(coding_exercises.EXERCISES)
    numeric = [m.group(1) for p in NOTEBOOKS for c in code_cells(p) for m in CHECK.finditer(c.source)]
    assert sorted(numeric) == sorted(exercises._expected())
    shown = [(p.name, c.source[:40]) for p in NOTEBOOKS for c in code_cells(p) if "exercises.solution(" in c.source]
    assert not shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numeric_exercises_are_unanswered(path):
    for cell in code_cells(path):
        if CHECK.search(cell.source):
            assert re.search(r"^answer = None\b", cell.source, re.M), cell.source
            assert "no answer yet" in output_text(cell)
