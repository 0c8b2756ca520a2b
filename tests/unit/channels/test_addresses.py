"""The address book keeps app addresses encrypted and gives them back only for their conversation."""

from tanya.channels import addresses, identity


def test_an_address_is_stored_sealed_and_read_back_for_its_conversation(migrated_db):
    book = addresses.AddressBook(migrated_db)
    conversation = identity.conversation_id("whatsapp", "6281299990000")
    book.remember("whatsapp", conversation, "6281299990000")
    book.remember("whatsapp", conversation, "6281299990000")  # a second message: still one row
    assert book.address_of(conversation) == "6281299990000"
    assert addresses.AddressBook(migrated_db).address_of(conversation) == "6281299990000"  # another process
    assert book.address_of(identity.conversation_id("whatsapp", "6281299990001")) is None


def test_no_address_is_in_clear_in_the_database_file(migrated_sqlite, tmp_path):
    book = addresses.AddressBook(migrated_sqlite)
    book.remember("telegram", identity.conversation_id("telegram", "918273645"), "918273645")
    assert b"918273645" not in (tmp_path / "tanya.db").read_bytes()
