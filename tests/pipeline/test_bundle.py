"""The results bundle: what --out writes, its manifest, and what verification finds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io.bundle.json_diff import json_differences
from saylau.io.bundle.manifest import bundle_files, read_manifest, role_of
from saylau.pipeline.verify import verify_bundle
from saylau.said import N_, Said
from tests.pipeline.bundle_helpers import PROTOCOL, demo_bundle, edit_vote, forge
from tests.stages.demo import DEMO


def test_the_bundle_holds_its_law_and_the_manifest_lists_every_file(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    law = bundle / "election" / "law" / "demo-house.toml"
    assert law.read_bytes() == (DEMO / "law" / "demo-house.toml").read_bytes()
    config = (bundle / "election" / "election.toml").read_text(encoding="utf-8")
    assert 'law = "law/demo-house.toml"' in config
    manifest = read_manifest(bundle)
    assert (manifest.election_id, manifest.seed, manifest.ran) == ("demo", 7, str(DEMO))
    paths = [entry.path for entry in manifest.files]
    assert paths == sorted(paths) == bundle_files(bundle)
    roles = {entry.path: entry.role for entry in manifest.files}
    assert roles["election/law/demo-house.toml"] == "law"
    assert roles["election/election.toml"] == roles["election/stations.csv"] == "registry"
    assert roles[PROTOCOL] == "protocols"
    assert roles["election/notes.csv"] == roles["election/withdrawals.csv"] == "input"
    assert roles["election/sources.md"] == "reader"
    assert {p for p, r in roles.items() if r == "result"} == {
        "results.json",
        "results.txt",
        "rejected.csv",
        "flagged.csv",
    }
    for entry in manifest.files:
        data = (bundle / entry.path).read_bytes()
        assert (entry.size, entry.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_the_same_run_writes_the_same_bundle(tmp_path: Path) -> None:
    first = demo_bundle(tmp_path / "first")
    second = demo_bundle(tmp_path / "second")
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()


def test_a_file_outside_the_layout_has_no_role() -> None:
    assert role_of("notes.txt") is None
    assert role_of("election/protocols/x/y.csv") is None
    assert role_of("election/law/readme.md") is None


def test_an_untouched_bundle_verifies(tmp_path: Path) -> None:
    verification = verify_bundle(demo_bundle(tmp_path / "b"))
    assert verification.verified
    assert verification.findings == ()
    assert (verification.seats, verification.decisions) == (7, 5)
    assert verification.files_matched == len(verification.manifest.files)


def test_a_law_file_is_copied_byte_for_byte_and_the_copy_runs(tmp_path: Path) -> None:
    source = tmp_path / "demo"
    shutil.copytree(DEMO, source)
    law = source / "law" / "demo-house.toml"
    law.write_bytes(law.read_bytes().replace(b"\n", b"\r\n"))
    bundle = demo_bundle(tmp_path / "b", source)
    assert (bundle / "election" / "law" / "demo-house.toml").read_bytes() == law.read_bytes()
    assert verify_bundle(bundle).verified


def test_an_edited_protocol_is_named_first_then_every_figure_it_changes(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    edit_vote(bundle)
    found = verify_bundle(bundle).findings
    assert found[0].check == "manifest"
    assert (
        found[0].message == f"{PROTOCOL}: SHA-256 differs from the manifest (edited after the run)"
    )
    figures = {f.figure: f.message for f in found if f.figure}
    assert figures["house.seats[0].votes"] == (
        "results.json: house.seats[0].votes: stored 760, recomputed 761"
    )
    assert 'stages[1].decisions[0].count.votes["d1-red"]' in figures
    assert [f.file for f in found if f.figure is None] == [PROTOCOL]


def test_a_forger_who_updates_the_manifest_is_caught_by_recomputation(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    edit_vote(bundle)
    forge(bundle, PROTOCOL)
    found = verify_bundle(bundle).findings
    assert found
    assert all(f.check == "recomputation" for f in found)
    assert found[0].figure == "house.seats[0].votes"
    assert found[0].message == "results.json: house.seats[0].votes: stored 760, recomputed 761"


def test_an_edited_result_is_named_by_its_json_path(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    path = bundle / "results.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["house"]["parties"][1]["list_votes"] += 1
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    found = verify_bundle(bundle).findings
    assert [(f.check, f.file, f.figure) for f in found] == [
        ("manifest", "results.json", None),
        ("recomputation", "results.json", "house.parties[1].list_votes"),
    ]


def test_reformatted_results_with_the_same_figures_still_differ(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    path = bundle / "results.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    forge(bundle, "results.json")
    (found,) = verify_bundle(bundle).findings
    assert found.message.startswith("results.json: the same figures, but not as --out writes")


def test_a_missing_and_an_extra_file_are_reported_in_path_order(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    (bundle / "results.txt").unlink()
    (bundle / "election" / "extra.csv").write_text("x\n", encoding="utf-8")
    found = verify_bundle(bundle).findings
    assert [f.message for f in found[:2]] == [
        "election/extra.csv: not listed in the manifest (added after the run)",
        "results.txt: missing (the manifest lists it)",
    ]
    # and the election directory itself refuses a file it does not read
    (refused,) = found[2:]
    assert "election/extra.csv: not a file of an election directory" in refused.message


def test_a_chamber_law_outside_the_bundle_is_reported(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    config = bundle / "election" / "election.toml"
    text = config.read_text(encoding="utf-8")
    law = str(DEMO / "law" / "demo-house.toml")
    config.write_text(text.replace('"law/demo-house.toml"', json.dumps(law)), encoding="utf-8")
    forge(bundle, "election/election.toml")
    (found,) = verify_bundle(bundle).findings
    assert found.file == "election/election.toml"
    assert "chamber house: law" in found.message
    assert "is not a law file of the bundle" in found.message


def test_unreadable_inputs_after_an_edit_are_a_difference(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    path = bundle / PROTOCOL
    path.write_text(path.read_text(encoding="utf-8").replace(",420,", ",many,"), encoding="utf-8")
    found = verify_bundle(bundle).findings
    assert [f.check for f in found] == ["manifest", "recomputation"]
    assert found[1].message.startswith("election: cannot be recomputed: ")
    assert "field d1-red" in found[1].message
    forge(bundle, PROTOCOL)
    with pytest.raises(InputError, match="field d1-red"):
        verify_bundle(bundle)


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda text: text[:40], r"manifest.json: not valid JSON: "),
        (lambda text: "[]", r"manifest.json: field \(top level\): Input should be an object"),
        (
            lambda text: text.replace('"seed": 7', '"seed": "7"'),
            r"manifest.json: field seed: Input should be a valid integer",
        ),
        (
            lambda text: text.replace('"path": "election/candidates.csv"', '"path": "../x"'),
            r"manifest.json: field files\[0\].path: '../x' is not a relative path",
        ),
        (
            lambda text: text.replace(
                '"path": "election/college.csv"', '"path": "election/candidates.csv"'
            ),
            r"manifest.json: field files\[1\].path: 'election/candidates.csv' listed twice",
        ),
        (
            lambda text: text.replace('"seed": 7', '"seed": 7, "signed": true'),
            r"manifest.json: field signed: is not a field of a manifest",
        ),
    ],
)
def test_a_malformed_manifest_is_bad_input_naming_the_field(
    tmp_path: Path, edit: object, error: str
) -> None:
    bundle = demo_bundle(tmp_path / "b")
    path = bundle / "manifest.json"
    assert callable(edit)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError, match=error):
        verify_bundle(bundle)


def test_a_missing_manifest_or_bundle_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere: not a directory"):
        verify_bundle(tmp_path / "nowhere")
    bundle = demo_bundle(tmp_path / "b")
    (bundle / "manifest.json").unlink()
    with pytest.raises(InputError, match=r"b/manifest.json: missing"):
        verify_bundle(bundle)


def test_out_replaces_an_earlier_bundle_and_refuses_other_files(tmp_path: Path) -> None:
    source = tmp_path / "demo"
    shutil.copytree(DEMO, source)
    bundle = demo_bundle(tmp_path / "b", source)
    (source / "protocols" / "house-d2.r2.csv").unlink()
    demo_bundle(bundle, source)
    assert not (bundle / "election" / "protocols" / "house-d2.r2.csv").exists()
    assert verify_bundle(bundle).verified
    (bundle / "mine.txt").write_text("keep me\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b: mine.txt is not part of the bundle written there"):
        demo_bundle(bundle, source)
    with pytest.raises(InputError, match=r"demo: holds candidates.csv and no manifest.json"):
        demo_bundle(source)


def test_json_differences_name_each_figure_by_its_path() -> None:
    stored = {"a": {"b-c": [1, 2.0, True]}, "d": [1], "gone": None}
    recomputed = {"a": {"b-c": [1, 2, 1]}, "d": [1, 2]}
    assert [d.describe() for d in json_differences(stored, recomputed)] == [
        'a["b-c"][1]: stored 2.0, recomputed 2',
        'a["b-c"][2]: stored true, recomputed 1',
        "d[1]: stored (absent), recomputed 2",
        "gone: stored null, recomputed (absent)",
    ]
    assert list(json_differences({"x": 1_000}, {"x": 1_000})) == []
    said = Said(N_("%(count)s seats"), count=7)  # a sentence is written as its text
    assert list(json_differences({"s": "7 seats"}, {"s": said})) == []
    assert [d.path for d in json_differences({"s": "8 seats"}, {"s": said})] == ["s"]


def test_a_link_out_of_the_bundle_does_not_verify_even_to_the_same_bytes(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    outside = tmp_path / "results.txt"
    shutil.move(bundle / "results.txt", outside)  # the very same bytes, now outside
    (bundle / "results.txt").symlink_to(outside)
    verification = verify_bundle(bundle)
    assert not verification.verified
    assert [f.message for f in verification.findings] == [
        "results.txt: a link (a results bundle holds only regular files; it is not followed)"
    ]


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_pipe_or_an_endless_file_in_the_bundle_is_named_never_read(
    tmp_path: Path, kind: str
) -> None:
    bundle = demo_bundle(tmp_path / "b")
    member = bundle / "election" / "protocols" / "house-d9.r1.csv"
    if kind == "fifo":
        os.mkfifo(member)
    else:
        member.symlink_to("/dev/zero")
    verification = verify_bundle(bundle)  # a read would wait forever or never end
    assert not verification.verified
    first = verification.findings[0].message
    assert first.startswith("election/protocols/house-d9.r1.csv: ")
    assert ("a link" if kind == "zero" else "not a regular file") in first


def test_a_manifest_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    bundle = demo_bundle(tmp_path / "b")
    (bundle / "manifest.json").unlink()
    os.mkfifo(bundle / "manifest.json")
    with pytest.raises(InputError, match=r"manifest\.json: not a regular file"):
        verify_bundle(bundle)
