"""Build the offline spaCy pipeline that Rasa's SpacyNLP loads (config.yml: model: .spacy/id_tanya).

No trained Indonesian pipeline exists and nothing may be downloaded, so we start from spacy.blank("id")
and add a lookup lemmatizer fed by spacy-lookups-data's Indonesian table. Chat Indonesian glues clitics
to words ("daftarnya", "syaratnya", "dokumenku"), which the table does not know, so we extend it with
clitic variants of every entry: "daftarnya" -> "daftar", just like "pendaftaran" -> "daftar".
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

# Enclitics and particles that attach to a word without changing its meaning for intent classification.
CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


def load_indonesian_lemmas() -> dict:
    import spacy_lookups_data

    table_path = Path(spacy_lookups_data.__file__).parent / "data" / "id_lemma_lookup.json.gz"
    with gzip.open(table_path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def training_vocabulary(nlu_dir: Path) -> set:
    """Lower-cased words of the NLU training files, so domain words ("dokumen", "iuran") get clitic forms too."""
    words = set()
    for path in sorted(nlu_dir.rglob("*.yml")):
        words.update(re.findall(r"[a-z]{3,}", path.read_text(encoding="utf-8").lower()))
    return words


def with_clitic_variants(lemmas: dict, vocabulary: set = frozenset()) -> dict:
    """Return the table plus 'word+clitic' -> lemma for every known word, lemma and training word."""
    extended = dict(lemmas)
    bases = {word: lemma for word, lemma in lemmas.items()}
    for word in set(lemmas.values()) | set(vocabulary):
        bases.setdefault(word, lemmas.get(word, word))
    for word, lemma in bases.items():
        for clitic in CLITICS:
            extended.setdefault(word + clitic, lemma)
    return extended


def build(output: Path, nlu_dir: Path) -> None:
    import spacy
    from spacy.lookups import Lookups

    nlp = spacy.blank("id")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", with_clitic_variants(load_indonesian_lemmas(), training_vocabulary(nlu_dir)))
    lemmatizer.initialize(lookups=lookups)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path(".spacy/id_tanya"))
    parser.add_argument("--nlu-dir", type=Path, default=Path("data/nlu"))
    args = parser.parse_args(argv)
    build(args.output, args.nlu_dir)
    print(f"spaCy pipeline written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
