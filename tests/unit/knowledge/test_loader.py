"""Loading, re-loading and querying the knowledge base on SQLite and PostgreSQL."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine

from tanya.db import session_scope
from tanya.knowledge import models as m
from tanya.knowledge import repository as kb
from tanya.knowledge.content import ContentError
from tanya.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "data" / "knowledge"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.db'}"
    engine = create_engine(POSTGRES_URL)
    m.Base.metadata.drop_all(engine)
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(CONTENT, target)
    return target


def edit(path: Path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_counts_and_idempotency(url):
    first = load_knowledge(CONTENT, url)
    second = load_knowledge(CONTENT, url)
    assert first == second
    assert first["kb_segment"] == 5 and first["kb_branch"] == 5 and first["kb_requirement"] == 12
    with session_scope(url) as session:
        assert session.query(m.Channel).count() == first["kb_channel"]


def test_removed_entry_disappears_on_reload(url, content_copy):
    load_knowledge(content_copy, url)
    edit(content_copy / "branches.yml", lambda d: d["branches"].pop())
    load_knowledge(content_copy, url)
    with session_scope(url) as session:
        assert [b.name for b in kb.list_branches(session)][-1] == "Jakarta Grogol"


def test_repository_answers_from_loaded_content(url):
    load_knowledge(CONTENT, url)
    with session_scope(url) as session:
        assert [s.key for s in kb.list_segments(session)] == ["pu", "bpu", "jakon", "pmi", "perisai"]
        assert kb.get_segment(session, "bpu").short_name.get("en") == "BPU"
        assert kb.get_segment(session, "nope") is None
        groups = kb.list_channel_groups(session, "bpu")
        assert [g.key for g in groups] == ["bpu_physical", "bpu_non_physical"]
        assert any(c.url == "https://www.cermati.com/bpjs-ketenagakerjaan" for c in groups[1].channels)
        pmi = kb.list_document_groups(session, "pmi")
        assert [g.stage.key for g in pmi] == ["before_departure", "during_after", "extension"]
        assert len(pmi[1].documents) == 4
        only = kb.list_document_groups(session, "pmi", stage_key="extension")
        assert len(only) == 1 and [d.name.en for d in only[0].documents] == [
            "Copy of E-KTP",
            "Copy of Employment Agreement",
        ]
        assert kb.list_document_groups(session, "jakon") == []
        assert [d.name.id for d in kb.list_document_groups(session, "bpu")[0].documents] == ["Fotokopi E-KTP"]
        assert kb.max_age(session, "bpu") == 60 and kb.max_age(session, "pu") is None
        assert kb.list_eligibility_rules(session, topic="foreign_worker")[0].min_months == 6
        office = kb.get_requirement_group(session, "perisai_office")
        assert len(office.requirements) == 6 and "PKS" in office.intro.id
        assert kb.get_requirement_group(session, "perisai_agent").intro is None
        assert len(kb.list_contacts(session)) == 2
        assert kb.get_occupation(session, "ojol_driver").segment_key == "bpu"
        assert kb.get_occupation(session, "caregiver").segment_key is None
        assert len(kb.list_notes(session, "pu")) == 1


@pytest.mark.parametrize(
    "file, change, message",
    [
        (
            "segments.yml",
            lambda d: d["segments"][1]["name"].pop("en"),
            "segments.yml: segment 'bpu': missing English text for 'name'",
        ),
        (
            "segments.yml",
            lambda d: d["segments"][0]["summary"].update(id=" "),
            "segments.yml: segment 'pu': missing Indonesian text for 'summary'",
        ),
        (
            "branches.yml",
            lambda d: d["branches"].append(dict(d["branches"][0])),
            "branches.yml: branch 'jakarta_menara_jamsostek': duplicate key",
        ),
        (
            "documents.yml",
            lambda d: d["documents"][0].update(segment="pekerja"),
            "documents.yml: document 'pu_ektp': refers to unknown segment 'pekerja'",
        ),
        (
            "documents.yml",
            lambda d: d["documents"][5].update(stage="after_party"),
            "documents.yml: document 'pmi_before_ektp': refers to unknown pmi stage 'after_party'",
        ),
        (
            "channels.yml",
            lambda d: d["channel_groups"][0]["channels"][0].pop("key"),
            "channels.yml: channel #1: missing 'key'",
        ),
        ("contacts.yml", lambda d: d.update(contact_list=[]), "contacts.yml: unknown section 'contact_list'"),
        (
            "requirements.yml",
            lambda d: d["requirement_groups"][0]["requirements"][2].pop("en"),
            "requirement group 'perisai_agent', requirement 3: missing English text",
        ),
    ],
)
def test_bad_content_is_refused_naming_file_and_entry(content_copy, tmp_path, file, change, message):
    edit(content_copy / file, change)
    url = f"sqlite:///{tmp_path / 'untouched.db'}"
    with pytest.raises(ContentError) as error:
        load_knowledge(content_copy, url)
    assert message in str(error.value)
    assert not (tmp_path / "untouched.db").exists() or not create_engine(url).dialect.has_table(
        create_engine(url).connect(), "kb_segment"
    )


def test_all_problems_are_reported_at_once(content_copy):
    edit(content_copy / "segments.yml", lambda d: d["segments"][0]["name"].pop("id"))
    edit(content_copy / "branches.yml", lambda d: d["branches"][0].update(segment="x"))
    with pytest.raises(ContentError) as error:
        load_knowledge(content_copy, "sqlite://")
    assert len(error.value.problems) == 2


def test_bad_content_keeps_the_previous_knowledge(url, content_copy):
    load_knowledge(CONTENT, url)
    edit(content_copy / "segments.yml", lambda d: d["segments"][0]["name"].pop("en"))
    with pytest.raises(ContentError):
        load_knowledge(content_copy, url)
    with session_scope(url) as session:
        assert len(kb.list_segments(session)) == 5


def test_cli_reports_bad_content_without_traceback(content_copy, tmp_path):
    edit(content_copy / "notes.yml", lambda d: d["notes"][0].update(segment="nobody"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tanya.knowledge.loader",
            "--content-dir",
            str(content_copy),
            "--database-url",
            f"sqlite:///{tmp_path / 'kb.db'}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "notes.yml: note 'pu_register_workers': refers to unknown segment 'nobody'" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_loads_and_summarises(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tanya.knowledge.loader", "--database-url", f"sqlite:///{tmp_path / 'kb.db'}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0 and "segment=5" in result.stdout
