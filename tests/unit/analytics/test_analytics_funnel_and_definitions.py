"""The funnel's field order and drop-off steps; the definitions file and its checks."""

import pytest

from tanya.analytics.definitions import DefinitionsError, load_definitions
from tanya.analytics.funnel import field_order, stopped_at
from tanya.analytics.sessions import Registration


def test_fields_are_ordered_by_their_mean_position_across_segments():
    registrations = [
        Registration(started=True, fields=("reg_full_name", "reg_nik", "reg_birth_date")),
        Registration(started=True, fields=("reg_company_name", "reg_nib")),
        Registration(started=True, fields=("reg_full_name",)),
    ]
    assert field_order(registrations) == ["reg_full_name", "reg_company_name", "reg_nik", "reg_nib", "reg_birth_date"]


@pytest.mark.parametrize(
    "registration, step",
    [
        (Registration(started=True), "start"),
        (Registration(started=True, fields=("reg_full_name", "reg_nik")), "reg_nik"),
        (Registration(started=True, fields=("reg_full_name",), summary_shown=True), "summary"),
        (Registration(started=True, fields=("reg_full_name",), summary_shown=True, confirmed=True), "confirmed"),
    ],
)
def test_where_a_form_that_was_not_submitted_stopped(registration, step):
    assert stopped_at(registration) == step


def test_the_project_definitions_name_actions_the_domain_has():
    import yaml

    from tanya.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    known = set(domain["actions"]) | set(domain["responses"]) | set(domain["forms"])
    definitions = load_definitions()
    named = set(definitions.fallback_actions) | set(definitions.handoff_actions)
    named |= {definitions.repeat_handoff_action, definitions.question_action, definitions.registration_form}
    assert named <= known, named - known
    assert definitions.question_slot in domain["slots"]
    assert definitions.idle_minutes == domain["session_config"]["session_expiration_time"]


def test_the_automatic_messages_are_what_the_widget_sends_on_open():
    """If the widget's greeting on open changes, the numbers must learn the new text (issue 19.7)."""
    from tanya.analytics.definitions import PROJECT_ROOT

    widget = (PROJECT_ROOT / "web" / "widget" / "tanya-widget.js").read_text(encoding="utf-8")
    definitions = load_definitions()
    assert definitions.automatic_messages == (("socketio", "/greet"),)
    assert 'send("/greet", null)' in widget  # sent without showing a user bubble: the widget's own
    assert definitions.is_automatic("socketio", "/greet") and not definitions.is_automatic("rest", "/greet")


@pytest.mark.parametrize(
    "change, problem",
    [
        ("timezone: Mars/Olympus", "unknown timezone"),
        ("fallback_actions: action_clarify", "'fallback_actions' must be a list"),
        ("top_unanswered: {similarity: 120}", "between 0 and 100"),
        ("idle_minutes: -5", "must not be negative"),
        ("idle_minutes: soon", "could not convert"),
        ("question_slot: ''", "'question_slot' must be a name"),
        ("automatic_messages: [/greet]", "'automatic_messages' must map channel names"),
    ],
)
def test_a_broken_definitions_file_is_refused_with_its_reason(tmp_path, change, problem):
    from tanya.analytics.definitions import DEFAULT_DEFINITIONS_PATH

    key = change.split(":", 1)[0]
    kept = [line for line in DEFAULT_DEFINITIONS_PATH.read_text(encoding="utf-8").splitlines() if not line.startswith(key + ":")]
    if key == "fallback_actions":
        kept = [line for line in kept if not line.startswith("  - action_clarify") and not line.startswith("  - utter_out_of_scope")]
    if key == "automatic_messages":
        kept = [line for line in kept if line not in ("  socketio:", "    - /greet")]
    if key == "top_unanswered":
        kept = [line for line in kept if not line.startswith("  similarity") and not line.startswith("  limit")]
    path = tmp_path / "definitions.yml"
    path.write_text("\n".join(kept + [change]) + "\n", encoding="utf-8")
    with pytest.raises(DefinitionsError, match=problem):
        load_definitions(path)
