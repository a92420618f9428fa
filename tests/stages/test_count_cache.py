"""Counts shared between runs over the same inputs give the same results as fresh counts."""

from __future__ import annotations

import pytest

from saylau.law.form import ProtocolForm
from saylau.law.loader import load_law
from saylau.pipeline.run import decide, load_inputs, own_laws
from saylau.stages.calendar import run_calendar
from saylau.stages.counting import CountCache, Counting


def test_runs_on_shared_counts_equal_fresh_runs() -> None:
    inputs, root = load_inputs("examples/demo-election")
    own, refs = own_laws(inputs, root)
    law = own["house"]
    assert law.list_tier is not None
    dhondt = law.model_copy(
        update={
            "id": "demo-dhondt",
            "list_tier": law.list_tier.model_copy(update={"method": "dhondt"}),
        }
    )
    cache = CountCache(inputs)
    shared = [
        run_calendar(inputs, {"house": chosen}, refs=refs, own=own, counts=cache)
        for chosen in (law, dhondt, law)
    ]
    fresh = [
        run_calendar(inputs, {"house": chosen}, refs=refs, own=own) for chosen in (law, dhondt)
    ]
    assert shared[0] == fresh[0] == shared[2] == decide(inputs, root)
    assert shared[1] == fresh[1]


def test_an_equal_form_is_counted_once_and_another_form_afresh() -> None:
    inputs, _ = load_inputs("examples/demo-election")
    cache = CountCache(inputs)
    (contest,) = [c for c in inputs.election.contests if c.tier == "list"]
    form = load_law("examples/demo-election/law/demo-house.toml").protocol
    assert form is not None
    first = cache.count(contest, 1, form)
    assert cache.count(contest, 1, form.model_copy()) is first
    bare = ProtocolForm(relations=())
    assert cache.count(contest, 1, bare) is not first


def test_a_cache_serves_only_its_own_inputs() -> None:
    inputs, _ = load_inputs("examples/demo-election")
    other, _ = load_inputs("examples/demo-election")
    with pytest.raises(ValueError, match="only the inputs"):
        Counting(other, {}, CountCache(inputs))
