"""End-to-end: real NLU, real dialogue, real action server, real knowledge base.

Expected facts are read from the knowledge the assistant answers from, in the language the user wrote
in, so these tests prove that the assistant answers with the page's facts AND in the user's language.
"""


def _channel_names(kb, segment, language):
    """The names an overview uses: each channel's short name where it has one."""
    return [(c.short or c.name).get(language) for g in kb.channel_groups(segment) for c in g.channels]


def _document_names(kb, segment, language, stage=None):
    return [d.name.get(language) for g in kb.document_groups(segment, stage) for d in g.documents]


def assert_all_in(expected, reply):
    assert expected, "nothing expected: the knowledge look-up found nothing"
    missing = [fact for fact in expected if fact not in reply]
    assert not missing, f"missing {missing} in reply:\n{reply}"


def test_indonesian_slang_how_to_register_bpu(chat, kb):
    reply = chat.text("gmn cara daftar bpu kak?")
    assert_all_in(_channel_names(kb, "bpu", "id") + _document_names(kb, "bpu", "id"), reply)
    age_rule = kb.rules("bpu", "age")[0]
    assert age_rule.text.id in reply
    assert age_rule.text.en not in reply


def test_english_how_to_register_and_context_follow_ups(chat, kb):
    reply = chat.text("How do I register as a non-wage recipient worker?")
    assert_all_in(_channel_names(kb, "bpu", "en"), reply)
    # "is there an age limit?" keeps BPU as the context
    reply = chat.text("is there an age limit?")
    assert kb.rules("bpu", "age")[0].text.en in reply
    # "what about migrant workers?" asks the same question for PMI
    reply = chat.text("what about migrant workers?")
    assert "PMI" in reply


def test_indonesian_follow_ups_keep_topic_and_segment(chat, kb):
    chat.text("dokumen buat daftar bpu apa aja?")
    reply = chat.text("kalau untuk PMI?")
    assert_all_in(_document_names(kb, "pmi", "id"), reply)
    reply = chat.text("yang perpanjangan aja")
    assert_all_in(_document_names(kb, "pmi", "id", stage="extension"), reply)
    assert kb.stages()[0].name.id not in reply  # only the asked stage


def test_missing_segment_gets_an_overview_with_buttons_then_the_chosen_answer(chat, kb):
    replies = chat.say("dokumennya apa aja ya?")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    # one button per segment, each asking the same topic for that segment
    assert payloads == [f'/ask_documents{{"segment":"{key}"}}' for key in ("pu", "bpu", "jakon", "pmi", "perisai")]
    reply = chat.text('/ask_documents{"segment":"pu"}')
    assert_all_in(_document_names(kb, "pu", "id"), reply)


def test_a_segment_named_after_the_overview_answers_the_pending_topic(chat, kb):
    chat.text("dokumennya apa aja ya?")
    reply = chat.text("yang BPU")
    assert_all_in(_document_names(kb, "bpu", "id"), reply)


def test_language_switch_mid_conversation(chat, kb):
    chat.text("halo")
    reply = chat.text("in English please")
    assert "English" in reply
    reply = chat.text("perisai")
    assert_all_in([r.text.en for r in kb.requirement_group("perisai_agent").requirements], reply)


def test_perisai_office_and_jakarta_branches(chat, kb):
    reply = chat.text("syarat jadi kantor perisai apa aja?")
    assert_all_in([r.text.id for r in kb.requirement_group("perisai_office").requirements], reply)
    reply = chat.text("which Jakarta branches accept Jakon registration?")
    assert_all_in([b.name for b in kb.branches("jakon", "Jakarta")], reply)


def test_segment_from_occupation(chat, kb):
    reply = chat.text("saya driver ojol, cocoknya daftar yang mana?")
    assert kb.segment("bpu").name.id in reply
    assert kb.segment("pu").name.id not in reply  # a clear case names only its own segment
    reply = chat.text("I'm a caregiver going to Taiwan, which program is for me?")
    assert kb.segment("pmi").name.en in reply


def test_out_of_scope_and_human(chat, kb):
    replies = chat.say("cuaca jakarta hari ini gimana?")
    assert any(b["payload"] == "/request_human" for r in replies for b in r.get("buttons", []))
    reply = chat.text("I want to talk to a human")
    assert_all_in([c.name.en for c in kb.contacts()], reply)
    assert "175" in reply and "care@bpjsketenagakerjaan.go.id" in reply


def test_gibberish_gets_topic_buttons_not_intent_names(chat):
    replies = chat.say("xqzt vbnm plkj")
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert titles and not any("nlu_fallback" in t or t.startswith("ask_") for t in titles)


def test_wanting_to_register_but_asking_whether_an_online_way_exists_gets_the_online_channels(chat, kb):
    """Not the form: "mau daftar" next to "is there ...?" asks for information."""
    for text, language in (
        ("aku ojol, mau daftar bpjs tk, ada link onlinenya gak", "id"),
        ("I'm a street vendor and want to sign up, is there a website for it?", "en"),
    ):
        reply = chat.text(text)
        online = [(c.short or c.name).get(language) for g in kb.channel_groups("bpu") if g.mode == "non_physical"
                  for c in g.channels]
        assert_all_in(online, reply)
        assert kb.segment("bpu").name.get(language) in reply


def test_the_fee_or_duration_of_registration_is_not_on_the_page_so_a_human_channel_is_given(chat, kb):
    """Next to "daftar", a question the page does not answer gets no registration answer in its place."""
    phone = kb.contact("phone").value
    for text, language, topic, segment in (
        ("daftar jadi peserta bpu gratis gak sih?", "id", "registration_fee", "bpu"),
        ("how long does it take to register as a migrant worker?", "en", "processing_time", "pmi"),
    ):
        reply = chat.text(text)
        assert kb.outside_topic(topic).name.get(language) in reply and phone in reply, reply
        assert kb.segment(segment).name.get(language) not in reply  # not the how-to-register answer


def test_an_age_stated_in_passing_gets_the_age_rule_applied_to_it(chat, kb):
    for text, language, age in (
        ("aku 61, jualan gorengan keliling, masih bisa ikut bpu?", "id", "61"),
        ("I'm 45 and sell snacks from home, can I still join?", "en", "45"),
    ):
        reply = chat.text(text)
        assert kb.rules("bpu", "age")[0].text.get(language) in reply and age in reply, reply


def test_pmi_documents_then_the_stage_of_coming_home(chat, kb):
    after_return = _document_names(kb, "pmi", "en", stage="during_after")
    chat.text("I'm going to work in Japan, what documents do I need?")
    reply = chat.text("and after I come back?")
    assert_all_in(after_return, reply)
    assert kb.stages()[0].name.en not in reply  # only the asked stage
    chat.text("dokumen untuk PMI apa aja?")
    reply = chat.text("terus pas udah balik ke indonesia?")
    assert_all_in(_document_names(kb, "pmi", "id", stage="during_after"), reply)


def test_company_first_then_its_workers(chat, kb):
    """The order of the steps: the employer registers itself, then its workers (the page's note)."""
    for text, language in (
        ("pabrik kami harus daftar dulu baru karyawannya?", "id"),
        ("what happens after our company is registered?", "en"),
    ):
        reply = chat.text(text)
        assert kb.notes("pu", "workers_data")[0].text.get(language) in reply, reply


def test_asking_for_help_without_saying_with_what_gets_the_menu_then_an_employer_s_part(chat, kb):
    assert "TanyaBPJAMSOSTEK" in chat.text("permisi, ada yang bisa membantu saya?")
    assert "TanyaBPJAMSOSTEK" in chat.text("hello? can someone help")
    chat.text("I'm a nurse at a private hospital")
    reply = chat.text("what should my employer do?")
    assert kb.notes("pu", "workers_data")[0].text.en in reply, reply  # the PU how-to, workers' step included
    chat.text("saya satpam di pabrik")
    reply = chat.text("terus perusahaan saya harus ngapain?")
    assert kb.notes("pu", "workers_data")[0].text.id in reply, reply


def test_a_workshop_owner_with_counted_craftsmen_is_the_employer_route_then_workers_data_in_english(chat, kb):
    reply = chat.text("I opened a small boat-building yard in Bulukumba with 9 shipwrights. Do I sign up the yard or the men first?")
    assert "PPOB" not in reply and "Cermati" not in reply
    reply = chat.text("OK, and what info about the shipwrights will you need?")
    assert "Sorry, that is outside" not in reply
    assert any(word in reply.lower() for word in ("wage", "number of workers", "workers' data", "data"))
    reply = chat.text("One of them comes from Bangladesh for about a year. Anything extra?")
    assert "passport" in reply.lower()


def test_a_workshop_owner_with_counted_craftsmen_is_the_employer_route_in_indonesian(chat, kb):
    reply = chat.text("saya buka usaha konveksi kecil, ada lima penjahit. daftar bpjs tk-nya lewat mana ya?")
    assert "PPOB" not in reply and "OSS" in reply


def test_an_everyday_stage_word_is_no_migrant_answer_in_both_languages(chat):
    reply = chat.text("if I get hurt while working, how much money will BPJS pay me?")
    assert "175" in reply and "Migrant" not in reply
    reply = chat.text("kalau saya kecelakaan pas lagi kerja, dapat uang berapa dari BPJS?")
    assert "175" in reply and "Migran" not in reply
