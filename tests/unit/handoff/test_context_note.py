"""The agent's context note: exact content, NIK and phone numbers masked, sealed answers shown by their last 4."""

from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from tanya.handoff import context_note

NIK = "3273015501010001"
PHONE = "0812-3456-7890"


def events():
    """A conversation as Rasa sends it to the action server (event dicts)."""
    return [
        e.as_dict()
        for e in (
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("mau daftar BPU", {"name": "request_registration", "confidence": 0.98}, input_channel="rest"),
            SlotSet("segment", "bpu"),
            BotUttered("Siapa nama lengkap Anda?"),
            UserUttered("Budi Santoso", input_channel="rest"),
            BotUttered("Berapa NIK Anda?"),
            UserUttered(f"NIK saya {NIK}, HP {PHONE}", input_channel="rest"),
            BotUttered("Maaf, saya\n\nbelum   paham."),
            UserUttered("saya mau bicara dengan petugas", {"name": "request_human", "confidence": 0.99}, input_channel="rest"),
        )
    ]


SLOTS = {
    "language": "id",
    "segment": "bpu",
    "topic": "registration",
    "reg_segment": "bpu",
    "reg_full_name": "Budi Santoso",
    "reg_nik": "sealed-token-nik",
    "reg_phone": "sealed-token-from-elsewhere",
    "reg_birth_date": None,
    "reg_confirm": None,
}


def reveal(token):
    return {"sealed-token-nik": NIK}.get(token)  # the phone token was sealed for another conversation


def test_note_in_indonesian_has_the_context_with_every_number_masked():
    note = context_note.NoteInput(events(), SLOTS, "rest", "id", "asked", reveal)
    assert context_note.render(note, "id") == (
        "Diteruskan oleh asisten virtual TanyaBPJAMSOSTEK (pengguna meminta petugas).\n"
        "Bahasa pengguna: Bahasa Indonesia\n"
        "Kanal: rest\n"
        "Segmen: bpu\n"
        "Topik: registration\n"
        "\n"
        "Percakapan terakhir (NIK dan nomor HP disamarkan):\n"
        "Pengguna: mau daftar BPU\n"
        "Asisten: Siapa nama lengkap Anda?\n"
        "Pengguna: Budi Santoso\n"
        "Asisten: Berapa NIK Anda?\n"
        "Pengguna: NIK saya ************0001, HP ****-****-7890\n"
        "Asisten: Maaf, saya belum paham.\n"
        "Pengguna: saya mau bicara dengan petugas\n"
        "\n"
        "Pra-pendaftaran belum selesai (segmen bpu):\n"
        "- Nama lengkap: Budi Santoso\n"
        "- NIK: ************0001\n"
        "- Nomor HP: (tersimpan terenkripsi)"
    )


def test_note_in_english_for_an_english_desk():
    note = context_note.NoteInput(events()[-2:], {"language": "en"}, "socketio", "en", "not_understood")
    assert context_note.render(note, "en") == (
        "Handed over by the TanyaBPJAMSOSTEK virtual assistant (the assistant failed to understand twice in a row).\n"
        "User's language: English\n"
        "Channel: socketio\n"
        "Segment: -\n"
        "Topic: -\n"
        "\n"
        "Last turns (NIK and phone numbers masked):\n"
        "Assistant: Maaf, saya belum paham.\n"
        "User: saya mau bicara dengan petugas"
    )


def test_no_clear_number_survives_anywhere_in_the_note():
    note = context_note.render(context_note.NoteInput(events(), SLOTS, "rest", "id", "form_stuck", reveal), "en")
    digits = "".join(ch for ch in note if ch.isdigit())
    assert NIK not in digits and "081234567890" not in digits
    assert "the user got stuck in the pre-registration form" in note


def test_only_the_last_turns_are_kept_and_long_ones_are_shortened():
    many = [UserUttered(f"pertanyaan {n}").as_dict() for n in range(15)] + [BotUttered("x" * 500).as_dict()]
    note = context_note.render(context_note.NoteInput(many, {}, "rest", "id"), "id")
    turns = note.split("disamarkan):\n", 1)[1].splitlines()
    assert len(turns) == context_note.MAX_TURNS
    assert turns[0] == "Pengguna: pertanyaan 6"
    assert turns[-1] == "Asisten: " + "x" * (context_note.MAX_TURN_CHARS - 1) + "…"


def test_an_empty_conversation_still_gives_a_readable_note():
    note = context_note.render(context_note.NoteInput([], {}, "", "xx", "unknown-reason"), "id")
    assert "Kanal: -" in note and "disamarkan):\n-" in note and "(pengguna meminta petugas)" in note
