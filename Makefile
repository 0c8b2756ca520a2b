# TanyaBPJAMSOSTEK: the two commands are `make run` and `make test`.
.PHONY: run test setup train validate unit integration eval bench clean

run:            ## set up what is missing, train if inputs changed, start actions (:5055) + Rasa (:5005)
	./scripts/run.sh

test:           ## set up, validate data, unit tests, train, conversation tests
	./scripts/test.sh

setup:          ## virtualenv, packages, spaCy pipeline, knowledge base, model
	./scripts/setup.sh

train:
	./scripts/train.sh

validate:
	.venv/bin/rasa data validate --config config.yml --domain domain.yml --data data/nlu data/rules --fail-on-warnings

# Scripts' environment (PYTHONPATH, the dev secrets) for the one-line targets below.
IN_ENV = bash -c 'source scripts/lib.sh && "$$@"' --

unit:
	$(IN_ENV) .venv/bin/python -m pytest -q tests/unit

integration:    ## a real assistant on free ports: test stories, conversations, channels, fuzzing
	$(IN_ENV) .venv/bin/python -m pytest -q tests/integration

eval:           ## held-out NLU accuracy and macro-F1 per language
	PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/python scripts/evaluate_nlu.py --model models/current.tar.gz --heldout tests/nlu

USERS ?= 1
DURATION ?= 30
bench:          ## load a RUNNING assistant: make bench USERS=20 DURATION=30
	.venv/bin/python scripts/bench.py --users $(USERS) --seconds $(DURATION)

clean:
	rm -rf models .rasa .spacy results .data
